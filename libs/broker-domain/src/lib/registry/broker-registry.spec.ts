import { BrokerType } from '../enums/broker-type';
import { ConnectionStatus } from '../enums/connection-status';
import { BrokerNotFoundError, InvalidArgumentError } from '../errors/broker-errors';
import { BrokerGateway } from '../ports/broker-gateway';
import { BrokerRegistry } from './broker-registry';
import { BrokerRateLimitUsage } from './broker-rate-limit-usage';

function gateway(brokerId: string, brokerType = BrokerType.KIS): BrokerGateway {
  const unused = () => Promise.reject(new Error('not used in registry tests'));
  return {
    brokerId,
    brokerType,
    getSymbols: unused,
    getCandles: unused,
    getQuote: unused,
    streamQuotes: () => ({ [Symbol.asyncIterator]: () => ({ next: unused }) }),
    getBalance: unused,
    getPositions: unused,
    placeOrder: unused,
    cancelOrder: unused,
    getOrderStatus: unused,
    findOrderByClientOrderId: unused,
  };
}

const usage: BrokerRateLimitUsage = {
  ratio: 0.5,
  rules: [{ ruleId: 'requests', limit: 20, windowMs: 1000, used: 10, ratio: 0.5, waiters: 0 }],
};

describe('BrokerRegistry', () => {
  it('registers, finds and unregisters gateways by id', () => {
    const registry = new BrokerRegistry();
    const kis = gateway('kis');
    registry.register(kis, { type: BrokerType.KIS });
    expect(registry.has('kis')).toBe(true);
    expect(registry.get('kis')).toBe(kis);
    expect(registry.require('kis')).toBe(kis);
    expect(registry.ids()).toEqual(['kis']);
    expect(registry.unregister('kis')).toBe(true);
    expect(registry.unregister('kis')).toBe(false);
    expect(registry.get('kis')).toBeUndefined();
    expect(registry.has('kis')).toBe(false);
  });

  it('throws BrokerNotFoundError from require for an unknown id', () => {
    const registry = new BrokerRegistry();
    expect(() => registry.require('creon')).toThrow(BrokerNotFoundError);
    expect(() => registry.require('creon')).toThrow(/creon/);
  });

  it('refuses a duplicate id, an empty id and a type that contradicts the gateway', () => {
    const registry = new BrokerRegistry();
    registry.register(gateway('kis'), { type: BrokerType.KIS });
    expect(() => registry.register(gateway('kis'), { type: BrokerType.KIS })).toThrow(InvalidArgumentError);
    expect(() => registry.register(gateway(' '))).toThrow(/brokerId/);
    expect(() => registry.register(gateway('kiwoom', BrokerType.KIWOOM), { type: BrokerType.KIS })).toThrow(
      /type/,
    );
  });

  it('lists brokers with live status, rate-limit usage, offline and mock flags', () => {
    const registry = new BrokerRegistry();
    let status = ConnectionStatus.CONNECTING;
    let checkedAt: Date | undefined = undefined;
    registry.register(gateway('kis'), {
      type: BrokerType.KIS,
      status: () => status,
      rateLimitUsage: () => usage,
      offline: () => false,
      lastHealthCheck: () => checkedAt,
    });
    registry.register(gateway('mock', BrokerType.CREON), { mock: true });
    expect(registry.listAll()).toEqual([
      {
        brokerId: 'kis',
        type: 'KIS',
        status: 'CONNECTING',
        rateLimitUsage: usage,
        offline: false,
        mock: false,
        lastHealthCheckAt: null,
      },
      {
        brokerId: 'mock',
        type: 'CREON',
        status: 'CONNECTED',
        rateLimitUsage: null,
        offline: false,
        mock: true,
        lastHealthCheckAt: null,
      },
    ]);
    status = ConnectionStatus.DEGRADED;
    checkedAt = new Date('2026-01-05T00:00:00.000Z');
    expect(registry.getInfo('kis')?.status).toBe('DEGRADED');
    expect(registry.getInfo('kis')?.lastHealthCheckAt).toEqual(checkedAt);
    expect(registry.getInfo('nope')).toBeUndefined();
  });

  it('returns only CONNECTED gateways as healthy', () => {
    const registry = new BrokerRegistry();
    const statuses: Record<string, ConnectionStatus> = {
      a: ConnectionStatus.CONNECTED,
      b: ConnectionStatus.DEGRADED,
      c: ConnectionStatus.DISCONNECTED,
      d: ConnectionStatus.CONNECTING,
    };
    for (const id of Object.keys(statuses)) {
      registry.register(gateway(id), { status: () => statuses[id] });
    }
    expect(registry.getHealthy().map((g) => g.brokerId)).toEqual(['a']);
    statuses.b = ConnectionStatus.CONNECTED;
    expect(registry.getHealthy().map((g) => g.brokerId)).toEqual(['a', 'b']);
  });

  it('reports a broker whose probes throw as disconnected instead of failing the listing', () => {
    const registry = new BrokerRegistry();
    const boom = () => {
      throw new Error('probe failed');
    };
    registry.register(gateway('kis'), { status: boom, rateLimitUsage: boom, offline: boom, lastHealthCheck: boom });
    expect(registry.listAll()).toEqual([
      {
        brokerId: 'kis',
        type: 'KIS',
        status: 'DISCONNECTED',
        rateLimitUsage: null,
        offline: false,
        mock: false,
        lastHealthCheckAt: null,
      },
    ]);
    expect(registry.getHealthy()).toEqual([]);
  });
});
