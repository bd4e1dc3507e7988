import {
  BrokerConfig,
  BrokerGateway,
  BrokerNotFoundError,
  BrokerRegistry,
  brokerTransportOf,
  BrokerType,
  defaultAccount,
  InvalidArgumentError,
  NotSupportedError,
  OrderAdapter,
} from '@qts/broker-domain';
import {
  KisOrderAdapter,
  KisOrderAdapterOptions,
  KiwoomOrderAdapter,
  KiwoomOrderAdapterOptions,
  RestBrokerClient,
} from '@qts/broker-rest';
import { JtsOrderAdapter } from './jts/jts-order-adapter';

export type OrderAdapterKind = 'jts' | 'kis' | 'kiwoom';

/** What each adapter needs; only the part for the adapter asked for is required. */
export interface OrderAdapterDependencies {
  /** The JTS route: a gateway (GrpcBrokerGateway / MockBrokerGateway) ... */
  gateway?: BrokerGateway;
  /** ... or the registry holding it under the broker's id (getBrokerForConfig). */
  registry?: BrokerRegistry;
  kis?: { client: RestBrokerClient } & KisOrderAdapterOptions;
  /** accountId defaults to the configured broker's default account in getBrokerForConfig. */
  kiwoom?: { client: RestBrokerClient } & Omit<KiwoomOrderAdapterOptions, 'accountId'> & { accountId?: string };
  /** getBrokerForConfig: 'jts' or 'rest' for the broker's direct REST adapter; default: the broker's transport. */
  transport?: 'jts' | 'rest';
}

/** An order adapter by kind. Throws InvalidArgumentError naming a missing dependency. */
export function getBroker(kind: OrderAdapterKind, deps: OrderAdapterDependencies): OrderAdapter {
  switch (kind) {
    case 'jts': {
      if (deps.gateway === undefined) {
        throw new InvalidArgumentError("getBroker('jts') needs deps.gateway", { field: 'gateway' });
      }
      return new JtsOrderAdapter(deps.gateway);
    }
    case 'kis': {
      if (deps.kis === undefined) {
        throw new InvalidArgumentError(
          "getBroker('kis') needs deps.kis ({ client, cano, acntPrdtCd, paper })",
          { field: 'kis' },
        );
      }
      const { client, ...options } = deps.kis;
      return new KisOrderAdapter(client, options);
    }
    case 'kiwoom': {
      if (deps.kiwoom === undefined) {
        throw new InvalidArgumentError("getBroker('kiwoom') needs deps.kiwoom ({ client, accountId })", {
          field: 'kiwoom',
        });
      }
      const { client, accountId, ...options } = deps.kiwoom;
      if (accountId === undefined) {
        throw new InvalidArgumentError("getBroker('kiwoom') needs deps.kiwoom.accountId", { field: 'kiwoom.accountId' });
      }
      return new KiwoomOrderAdapter(client, { ...options, accountId });
    }
    default:
      throw new InvalidArgumentError(`unknown order adapter '${String(kind)}'`, { field: 'kind' });
  }
}

/**
 * The order adapter of a configured broker, through the broker's transport unless `deps.transport` says
 * otherwise: the JTS server (Creon only can: it is a Windows COM API), or the direct KIS or Kiwoom REST adapter,
 * with the broker's id.
 */
export function getBrokerForConfig(config: BrokerConfig, deps: OrderAdapterDependencies): OrderAdapter {
  if ((deps.transport ?? brokerTransportOf(config)) === 'jts') {
    const gateway = deps.gateway ?? deps.registry?.get(config.id);
    if (gateway === undefined) {
      throw new BrokerNotFoundError(`broker '${config.id}' has no JTS gateway in the registry`, {
        details: { brokerId: config.id },
      });
    }
    if (gateway.brokerId !== config.id) {
      throw new InvalidArgumentError(`gateway of '${gateway.brokerId}' given for broker '${config.id}'`, {
        field: 'gateway',
      });
    }
    return getBroker('jts', { gateway });
  }
  switch (config.type) {
    case BrokerType.KIS:
      return getBroker('kis', deps.kis === undefined ? {} : { kis: { brokerId: config.id, ...deps.kis } });
    case BrokerType.KIWOOM:
      return getBroker(
        'kiwoom',
        deps.kiwoom === undefined
          ? {}
          : {
              kiwoom: {
                brokerId: config.id,
                ...deps.kiwoom,
                accountId: deps.kiwoom.accountId ?? defaultAccount(config)?.id,
              },
            },
      );
    default:
      throw new NotSupportedError(
        `broker type ${config.type} has no direct REST order adapter; use the JTS route`,
        {
          details: { brokerId: config.id },
        },
      );
  }
}
