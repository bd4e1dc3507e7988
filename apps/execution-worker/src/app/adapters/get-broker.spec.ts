import { mockBrokerConfig } from '@qts/test-support';
import {
  BrokerNotFoundError,
  BrokerRegistry,
  BrokerType,
  InvalidArgumentError,
  MockBrokerGateway,
  NotSupportedError,
} from '@qts/broker-domain';
import { getBroker, getBrokerForConfig, OrderAdapterKind } from './get-broker';
import { KisOrderAdapter, KiwoomOrderAdapter, RestBrokerClient } from '@qts/broker-rest';
import { JtsOrderAdapter } from './jts/jts-order-adapter';

/** Building an adapter sends nothing: a client that fails any call proves it. */
const unusedClient: RestBrokerClient = { send: () => Promise.reject(new Error('no call expected')) };
const kis = { client: unusedClient, cano: '50012345', acntPrdtCd: '01', paper: true };
const kiwoom = { client: unusedClient, accountId: '5012345601' };

describe('getBroker', () => {
  it('builds each adapter from its dependencies', () => {
    const gateway = new MockBrokerGateway({ brokerId: 'jts-kis' });

    expect(getBroker('jts', { gateway })).toBeInstanceOf(JtsOrderAdapter);
    expect(getBroker('kis', { kis })).toMatchObject({ brokerId: 'kis' });
    expect(getBroker('kis', { kis })).toBeInstanceOf(KisOrderAdapter);
    expect(getBroker('kiwoom', { kiwoom: { ...kiwoom, brokerId: 'kw' } })).toMatchObject({ brokerId: 'kw' });
  });

  it.each([
    ['jts', 'gateway'],
    ['kis', 'kis'],
    ['kiwoom', 'kiwoom'],
    ['creon', 'kind'],
  ])('names the missing dependency of %s', (kind, field) => {
    expect(() => getBroker(kind as OrderAdapterKind, {})).toThrow(
      expect.objectContaining({ constructor: InvalidArgumentError, field }),
    );
  });
});

describe('getBrokerForConfig', () => {
  it('routes every configured broker through its JTS gateway by default', () => {
    const registry = new BrokerRegistry();
    const gateway = new MockBrokerGateway({ brokerId: 'creon', brokerType: BrokerType.CREON });
    registry.register(gateway);

    const adapter = getBrokerForConfig(mockBrokerConfig('creon', { type: BrokerType.CREON }), { registry, kis });

    expect(adapter).toBeInstanceOf(JtsOrderAdapter);
    expect(adapter.brokerId).toBe('creon');
  });

  it('fails when the registry has no gateway for the broker, or the gateway of another broker is given', () => {
    expect(() => getBrokerForConfig(mockBrokerConfig('kis'), { registry: new BrokerRegistry() })).toThrow(
      BrokerNotFoundError,
    );
    expect(() =>
      getBrokerForConfig(mockBrokerConfig('kis'), { gateway: new MockBrokerGateway({ brokerId: 'other' }) }),
    ).toThrow(InvalidArgumentError);
  });

  it('builds the direct REST adapter with the broker id when asked for', () => {
    const direct = getBrokerForConfig(mockBrokerConfig('kis-real', { type: BrokerType.KIS }), {
      transport: 'rest',
      kis,
    });
    const kiwoomDirect = getBrokerForConfig(mockBrokerConfig('kw', { type: BrokerType.KIWOOM }), {
      transport: 'rest',
      kiwoom: { client: unusedClient },
    });

    expect(direct).toBeInstanceOf(KisOrderAdapter);
    expect(direct.brokerId).toBe('kis-real');
    expect(kiwoomDirect).toBeInstanceOf(KiwoomOrderAdapter);
    expect(kiwoomDirect.brokerId).toBe('kw');
    // The Kiwoom app key's account defaults to the configured broker's default account.
    expect((kiwoomDirect as KiwoomOrderAdapter).accountId).toBe(mockBrokerConfig('kw').accounts[0]?.id);
  });

  it('has no REST route for Creon and names missing REST dependencies', () => {
    expect(() =>
      getBrokerForConfig(mockBrokerConfig('creon', { type: BrokerType.CREON }), { transport: 'rest' }),
    ).toThrow(NotSupportedError);
    expect(() =>
      getBrokerForConfig(mockBrokerConfig('kis', { type: BrokerType.KIS }), { transport: 'rest' }),
    ).toThrow(/deps.kis/);
    expect(() =>
      getBrokerForConfig(mockBrokerConfig('kw', { type: BrokerType.KIWOOM }), { transport: 'rest' }),
    ).toThrow(/deps.kiwoom/);
  });
});
