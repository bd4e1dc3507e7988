import { Channel, connectivityState } from '@grpc/grpc-js';
import { ConnectionStatus, type JtsBrokerConfig } from '@qts/broker-domain';
import { brokerConfig } from '../../../test/broker-config-fixture';
import { ScriptedJtsServer } from '../../../test/scripted-jts-server';
import { present } from '../../../test/present';
import { waitUntil } from '../../../test/wait-until';
import { BrokerConnection } from './broker-connection';
import { BrokerConnectionManager, BrokerConnectionManagerOptions } from './broker-connection-manager';
import { ConnectionStatusEvent } from './connection-status-event';
import { HealthProbeResult } from './health-probe';

/** A channel whose connectivity state the test sets; records watchers and close(). */
class FakeChannel {
  state = connectivityState.IDLE;
  closed = false;
  private watchers: { state: connectivityState; callback: () => void }[] = [];

  getConnectivityState(): connectivityState {
    return this.state;
  }

  watchConnectivityState(state: connectivityState, _deadline: number, callback: () => void): void {
    this.watchers.push({ state, callback });
  }

  moveTo(state: connectivityState): void {
    this.state = state;
    const due = this.watchers.filter((watcher) => watcher.state !== state);
    this.watchers = this.watchers.filter((watcher) => watcher.state === state);
    for (const watcher of due) watcher.callback();
  }

  close(): void {
    this.closed = true;
    this.moveTo(connectivityState.SHUTDOWN);
  }
}

const INTERVAL_MS = 10_000;

describe('BrokerConnectionManager (scripted probes, fake timers)', () => {
  let channels: Map<string, FakeChannel>;
  let probeResults: HealthProbeResult[];
  let probe: jest.Mock<Promise<HealthProbeResult>, [BrokerConnection]>;
  let events: ConnectionStatusEvent[];

  const connected: HealthProbeResult = { status: ConnectionStatus.CONNECTED, reason: 'all services SERVING' };
  const disconnected: HealthProbeResult = { status: ConnectionStatus.DISCONNECTED, reason: 'unreachable' };
  const degraded: HealthProbeResult = { status: ConnectionStatus.DEGRADED, reason: 'jts.v1.TradingService NOT_SERVING' };

  function createManager(options: BrokerConnectionManagerOptions = {}): BrokerConnectionManager {
    const manager = new BrokerConnectionManager({
      healthIntervalMs: INTERVAL_MS,
      random: () => 0, // no jitter: exact delays
      probe,
      connectionFactory: (config: JtsBrokerConfig) => {
        const channel = new FakeChannel();
        channels.set(config.id, channel);
        const lifetime = new AbortController();
        return {
          brokerId: config.id,
          target: `${config.grpc.host}:${config.grpc.port}`,
          channel: channel as unknown as Channel,
          closed: lifetime.signal,
          close: () => {
            lifetime.abort();
            channel.close();
          },
        } as BrokerConnection;
      },
      ...options,
    });
    manager.onStatusChange((event) => events.push(event));
    return manager;
  }

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2024-01-02T00:00:00Z') });
    channels = new Map();
    probeResults = [];
    events = [];
    probe = jest.fn(async (_connection: BrokerConnection) => probeResults.shift() ?? connected);
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  const channel = (id: string) => present(channels.get(id), `the channel of ${id}`);
  const transitions = () => events.map((event) => `${event.previous}->${event.current}`);

  it('starts CONNECTING, probes at once, then every interval while CONNECTED', async () => {
    const manager = createManager();

    manager.connect(brokerConfig('kis', 50061));
    expect(manager.getStatus('kis')).toBe(ConnectionStatus.CONNECTING);
    await jest.advanceTimersByTimeAsync(0);

    expect(manager.getStatus('kis')).toBe(ConnectionStatus.CONNECTED);
    expect(transitions()).toEqual(['DISCONNECTED->CONNECTING', 'CONNECTING->CONNECTED']);
    expect(events[1]).toEqual({
      brokerId: 'kis',
      previous: ConnectionStatus.CONNECTING,
      current: ConnectionStatus.CONNECTED,
      reason: 'all services SERVING',
      at: new Date('2024-01-02T00:00:00Z'),
    });

    await jest.advanceTimersByTimeAsync(INTERVAL_MS - 1);
    expect(probe).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(probe).toHaveBeenCalledTimes(2);
    manager.disconnectAll();
  });

  it('while not CONNECTED it re-probes with exponential backoff from 250 ms up to the interval', async () => {
    probeResults = Array.from({ length: 8 }, () => disconnected);
    const manager = createManager();
    manager.connect(brokerConfig('kis', 50061));
    const probeTimes: number[] = [];
    probe.mockImplementation(async () => {
      probeTimes.push(Date.now() - new Date('2024-01-02T00:00:00Z').getTime());
      return probeResults.shift() ?? connected;
    });

    await jest.advanceTimersByTimeAsync(60_000);

    // 0, +250, +500, +1000, +2000, +4000, +8000, then capped at the 10 s interval, then CONNECTED.
    expect(probeTimes.slice(0, 9)).toEqual([0, 250, 750, 1_750, 3_750, 7_750, 15_750, 25_750, 35_750]);
    expect(manager.getStatus('kis')).toBe(ConnectionStatus.CONNECTED);
    expect(transitions()).toEqual(['DISCONNECTED->CONNECTING', 'CONNECTING->DISCONNECTED', 'DISCONNECTED->CONNECTED']);
    manager.disconnectAll();
  });

  it('DEGRADED is also re-probed with backoff, and reported with its reason', async () => {
    probeResults = [degraded, degraded, connected];
    const manager = createManager();
    manager.connect(brokerConfig('kis', 50061));

    await jest.advanceTimersByTimeAsync(0);
    expect(manager.getStatus('kis')).toBe(ConnectionStatus.DEGRADED);
    expect(manager.listStatuses()).toEqual([
      {
        brokerId: 'kis',
        target: '127.0.0.1:50061',
        status: ConnectionStatus.DEGRADED,
        reason: 'jts.v1.TradingService NOT_SERVING',
        since: new Date('2024-01-02T00:00:00Z'),
      },
    ]);

    await jest.advanceTimersByTimeAsync(250 + 500);
    expect(manager.getStatus('kis')).toBe(ConnectionStatus.CONNECTED);
    expect(transitions()).toEqual(['DISCONNECTED->CONNECTING', 'CONNECTING->DEGRADED', 'DEGRADED->CONNECTED']);
    manager.disconnectAll();
  });

  it('jitter shortens the backoff delays by up to half', async () => {
    probeResults = [disconnected, disconnected];
    const manager = createManager({ random: () => 0.999 });
    manager.connect(brokerConfig('kis', 50061));

    await jest.advanceTimersByTimeAsync(0);
    await jest.advanceTimersByTimeAsync(125);

    expect(probe).toHaveBeenCalledTimes(2);
    manager.disconnectAll();
  });

  it('a failed call on a channel that is not READY turns the broker DISCONNECTED at once and probes soon', async () => {
    const manager = createManager();
    manager.connect(brokerConfig('kis', 50061));
    await jest.advanceTimersByTimeAsync(0);
    channel('kis').state = connectivityState.TRANSIENT_FAILURE;
    probeResults = [connected];

    manager.reportFailure('kis', 'getQuote failed with UNAVAILABLE');

    expect(manager.getStatus('kis')).toBe(ConnectionStatus.DISCONNECTED);
    expect(events.at(-1)).toMatchObject({ current: ConnectionStatus.DISCONNECTED, reason: 'getQuote failed with UNAVAILABLE' });
    await jest.advanceTimersByTimeAsync(250);
    expect(probe).toHaveBeenCalledTimes(2);
    expect(manager.getStatus('kis')).toBe(ConnectionStatus.CONNECTED);
    manager.disconnectAll();
  });

  it('a failed call on a READY channel (the server answered UNAVAILABLE) leaves the verdict to a probe soon', async () => {
    const manager = createManager();
    manager.connect(brokerConfig('kis', 50061));
    await jest.advanceTimersByTimeAsync(0);
    channel('kis').state = connectivityState.READY;

    manager.reportFailure('kis');

    expect(manager.getStatus('kis')).toBe(ConnectionStatus.CONNECTED);
    await jest.advanceTimersByTimeAsync(250);
    expect(probe).toHaveBeenCalledTimes(2);
    manager.reportFailure('unknown-broker');
    manager.disconnectAll();
  });

  it('watches the channel: TRANSIENT_FAILURE is DISCONNECTED at once; leaving or reaching READY probes at once', async () => {
    const manager = createManager();
    manager.connect(brokerConfig('kis', 50061));
    await jest.advanceTimersByTimeAsync(0);
    const kis = channel('kis');

    kis.moveTo(connectivityState.READY);
    await jest.advanceTimersByTimeAsync(0);
    expect(probe).toHaveBeenCalledTimes(2);

    probeResults = [disconnected];
    kis.moveTo(connectivityState.TRANSIENT_FAILURE);
    expect(manager.getStatus('kis')).toBe(ConnectionStatus.DISCONNECTED);
    await jest.advanceTimersByTimeAsync(0);
    expect(probe).toHaveBeenCalledTimes(3);

    kis.moveTo(connectivityState.CONNECTING);
    kis.moveTo(connectivityState.READY);
    await jest.advanceTimersByTimeAsync(0);
    expect(probe).toHaveBeenCalledTimes(4);
    expect(manager.getStatus('kis')).toBe(ConnectionStatus.CONNECTED);
    manager.disconnectAll();
  });

  it('a probe asked for while one runs happens right after it', async () => {
    let release: (result: HealthProbeResult) => void = () => undefined;
    probe.mockImplementationOnce(() => new Promise((resolve) => (release = resolve)));
    const manager = createManager();
    manager.connect(brokerConfig('kis', 50061));
    await jest.advanceTimersByTimeAsync(0);

    channel('kis').state = connectivityState.READY;
    manager.reportFailure('kis');
    release(connected);
    await jest.advanceTimersByTimeAsync(0);
    expect(probe).toHaveBeenCalledTimes(1);

    await jest.advanceTimersByTimeAsync(250);
    expect(probe).toHaveBeenCalledTimes(2);
    manager.disconnectAll();
  });

  it('a probe that throws counts as DISCONNECTED', async () => {
    probe.mockRejectedValueOnce(new Error('socket exploded'));
    const manager = createManager();
    manager.connect(brokerConfig('kis', 50061));

    await jest.advanceTimersByTimeAsync(0);

    expect(manager.getStatus('kis')).toBe(ConnectionStatus.DISCONNECTED);
    expect(events.at(-1)?.reason).toContain('socket exploded');
    manager.disconnectAll();
  });

  it('disconnect stops the loop, clears its timers, closes the channel and reports DISCONNECTED', async () => {
    const manager = createManager();
    const first = manager.connect(brokerConfig('kis', 50061));
    manager.connect(brokerConfig('creon', 50062));
    await jest.advanceTimersByTimeAsync(0);
    expect(jest.getTimerCount()).toBe(2);

    expect(manager.disconnect('kis')).toBe(true);

    expect(channel('kis').closed).toBe(true);
    expect(first.closed.aborted).toBe(true);
    expect(manager.getStatus('kis')).toBe(ConnectionStatus.DISCONNECTED);
    expect(manager.getConnection('kis')).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ brokerId: 'kis', current: ConnectionStatus.DISCONNECTED, reason: 'disconnected' });
    expect(jest.getTimerCount()).toBe(1);
    expect(manager.disconnect('kis')).toBe(false);

    manager.disconnectAll();
    expect(jest.getTimerCount()).toBe(0);
    expect(manager.listStatuses()).toEqual([]);
  });

  it('ignores the result of a probe that finishes after the broker was disconnected', async () => {
    let release: (result: HealthProbeResult) => void = () => undefined;
    probe.mockImplementationOnce(() => new Promise((resolve) => (release = resolve)));
    const manager = createManager();
    manager.connect(brokerConfig('kis', 50061));
    await jest.advanceTimersByTimeAsync(0);

    manager.disconnect('kis');
    release(connected);
    await jest.advanceTimersByTimeAsync(INTERVAL_MS);

    expect(manager.getStatus('kis')).toBe(ConnectionStatus.DISCONNECTED);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('its probe timers never keep the process alive', async () => {
    const manager = createManager();
    manager.connect(brokerConfig('kis', 50061));
    const timer = jest.spyOn(global, 'setTimeout');

    await jest.advanceTimersByTimeAsync(0);

    const armed = timer.mock.results.at(-1)?.value as NodeJS.Timeout;
    expect(armed.hasRef()).toBe(false);
    timer.mockRestore();
    manager.disconnectAll();
  });

  it('connecting an id twice: same endpoint returns the connection, another endpoint is refused', () => {
    const manager = createManager();
    const first = manager.connect(brokerConfig('kis', 50061));

    expect(manager.connect(brokerConfig('kis', 50061))).toBe(first);
    expect(() => manager.connect(brokerConfig('kis', 50099))).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(manager.getConnection('kis')).toBe(first);
    manager.disconnectAll();
  });

  it('an unknown broker is DISCONNECTED and has no connection', () => {
    const manager = createManager();

    expect(manager.getStatus('nope')).toBe(ConnectionStatus.DISCONNECTED);
    expect(manager.getConnection('nope')).toBeUndefined();
  });

  it('listeners can unsubscribe, and a throwing listener does not silence the others', async () => {
    const manager = createManager();
    const unsubscribed = jest.fn();
    const unsubscribe = manager.onStatusChange(unsubscribed);
    manager.onStatusChange(() => {
      throw new Error('listener bug');
    });
    unsubscribe();

    manager.connect(brokerConfig('kis', 50061));
    await jest.advanceTimersByTimeAsync(0);

    expect(unsubscribed).not.toHaveBeenCalled();
    expect(transitions()).toEqual(['DISCONNECTED->CONNECTING', 'CONNECTING->CONNECTED']);
    manager.disconnectAll();
  });

  it.each([
    [{ healthIntervalMs: 0 }, 'healthIntervalMs'],
    [{ initialProbeBackoffMs: -1 }, 'initialProbeBackoffMs'],
    [{ probeTimeoutMs: Number.NaN }, 'probeTimeoutMs'],
    [{ slowProbeMs: Infinity }, 'slowProbeMs'],
  ])('refuses %j naming the field', (options, field) => {
    expect(() => new BrokerConnectionManager(options)).toThrow(expect.objectContaining({ field }));
  });
});

describe('BrokerConnectionManager against a real server', () => {
  jest.setTimeout(15_000);

  it('goes CONNECTED, DISCONNECTED when the server stops, and CONNECTED again when it is back', async () => {
    const server = await ScriptedJtsServer.start();
    // Health probes an hour apart: every change below comes from watching the channel, not from the interval.
    const manager = new BrokerConnectionManager({ healthIntervalMs: 3_600_000 });
    const events: ConnectionStatusEvent[] = [];
    manager.onStatusChange((event) => events.push(event));
    try {
      const connection = manager.connect(brokerConfig('kis', server.port));
      expect(connection.target).toBe(`127.0.0.1:${server.port}`);
      await waitUntil(() => manager.getStatus('kis') === ConnectionStatus.CONNECTED, 'CONNECTED');

      server.stop();
      // No call and no probe due: the channel watch alone notices.
      await waitUntil(() => manager.getStatus('kis') === ConnectionStatus.DISCONNECTED, 'DISCONNECTED');

      await server.restart();
      // Back through the channel's own reconnect (backoff at most 1 s) and a probe, not the hourly interval.
      await waitUntil(() => manager.getStatus('kis') === ConnectionStatus.CONNECTED, 'CONNECTED again', 10_000);

      expect(events.map((event) => event.current)).toEqual([
        ConnectionStatus.CONNECTING,
        ConnectionStatus.CONNECTED,
        ConnectionStatus.DISCONNECTED,
        ConnectionStatus.CONNECTED,
      ]);
    } finally {
      manager.disconnectAll();
      server.stop();
    }
  });

  it('reports DEGRADED while a JTS service is NOT_SERVING', async () => {
    const server = await ScriptedJtsServer.start();
    server.setHealth('jts.v1.TradingService', 'NOT_SERVING');
    const manager = new BrokerConnectionManager({ healthIntervalMs: 30_000, initialProbeBackoffMs: 20 });
    try {
      manager.connect(brokerConfig('kis', server.port));
      await waitUntil(() => manager.getStatus('kis') === ConnectionStatus.DEGRADED, 'DEGRADED');

      server.setHealth('jts.v1.TradingService', 'SERVING');
      await waitUntil(() => manager.getStatus('kis') === ConnectionStatus.CONNECTED, 'CONNECTED');
    } finally {
      manager.disconnectAll();
      server.stop();
    }
  });
});
