import { ChannelOptions, connectivityState } from '@grpc/grpc-js';
import { ConnectionStatus, InvalidArgumentError, type JtsBrokerConfig } from '@qts/broker-domain';
import { ExponentialBackoff } from '../timing/exponential-backoff';
import { RandomSource } from '../timing/seeded-random';
import { BrokerConnection, createBrokerConnection, DEFAULT_CHANNEL_OPTIONS } from './broker-connection';
import { BrokerConnectionState, ConnectionStatusEvent, ConnectionStatusListener } from './connection-status-event';
import { HealthProbe, JTS_HEALTH_SERVICES, probeBrokerHealth } from './health-probe';

/**
 * A stalled JTS server (a hung process keeps its TCP connections open, so only an unanswered check shows it) is
 * found within one interval plus one probe timeout: readiness fails within 2 s of a stall, instead of after the
 * deadline of a call that happened to be waiting on it. Two health checks a second per broker and process cost the
 * JTS server nothing that counts against a broker's rate limit.
 */
export const DEFAULT_HEALTH_INTERVAL_MS = 1_000;
export const DEFAULT_INITIAL_PROBE_BACKOFF_MS = 250;
export const DEFAULT_PROBE_TIMEOUT_MS = 1_000;
export const DEFAULT_SLOW_PROBE_MS = 500;

export interface BrokerConnectionManagerOptions {
  /** Probe period while CONNECTED; also the cap of the backoff while not. Default 1 s. */
  healthIntervalMs?: number;
  /** First re-probe delay while not CONNECTED (doubles, with jitter, up to the interval). Default 250 ms. */
  initialProbeBackoffMs?: number;
  /** Deadline of each health check: no answer by then means DISCONNECTED. Default 1 s. */
  probeTimeoutMs?: number;
  /** A SERVING answer slower than this reports DEGRADED. Default 500 ms. */
  slowProbeMs?: number;
  /** Services that must be SERVING; default the JTS MarketDataService and TradingService. */
  healthServices?: readonly string[];
  channelOptions?: ChannelOptions;
  /** Jitter source; pass seededRandom(seed) for repeatable runs. */
  random?: RandomSource;
  /** Replaces the Health/Check probe (tests). */
  probe?: HealthProbe;
  /** Replaces the channel and clients factory (tests). */
  connectionFactory?: (config: JtsBrokerConfig, channelOptions: ChannelOptions) => BrokerConnection;
}

/** What the gateways need from the manager; a narrow seam so a gateway can be tested on its own. */
export interface BrokerConnectionSource {
  getConnection(brokerId: string): BrokerConnection | undefined;
  getStatus(brokerId: string): ConnectionStatus;
  reportFailure(brokerId: string, reason?: string): void;
  onStatusChange(listener: ConnectionStatusListener): () => void;
}

interface Entry {
  readonly config: JtsBrokerConfig;
  readonly connection: BrokerConnection;
  readonly backoff: ExponentialBackoff;
  status: ConnectionStatus;
  reason: string;
  since: Date;
  /** When the last health probe ended (answered or failed). */
  checkedAt?: Date;
  timer?: ReturnType<typeof setTimeout>;
  timerDueAt?: number;
  probing: boolean;
  /** A probe was requested while one was running: run the next one after at most this delay. */
  requestedDelayMs?: number;
}

/**
 * Owns one gRPC channel per broker and knows how each is doing: CONNECTING (just connected, nothing
 * learned yet), CONNECTED, DEGRADED (reachable but not fully serving, or slow) and DISCONNECTED.
 *
 * A health loop per broker calls grpc.health.v1.Health/Check every `healthIntervalMs` while CONNECTED.
 * While not CONNECTED it re-probes with exponential backoff and jitter (from 250 ms up to the interval),
 * so a broker that comes back is CONNECTED again within about a second, without a restart: grpc-js
 * reconnects the channel by itself (its reconnect backoff is capped low in DEFAULT_CHANNEL_OPTIONS).
 * It also watches the channel: leaving READY triggers a probe at once, TRANSIENT_FAILURE means
 * DISCONNECTED at once, and calls that fail with UNAVAILABLE or time out report it (`reportFailure`), so
 * callers fail fast instead of waiting for the next probe. Timers are unref'd and cleared on disconnect.
 */
export class BrokerConnectionManager implements BrokerConnectionSource {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<ConnectionStatusListener>();
  private readonly intervalMs: number;
  private readonly initialBackoffMs: number;
  private readonly probe: HealthProbe;
  private readonly channelOptions: ChannelOptions;
  private readonly random: RandomSource;
  private readonly connectionFactory: (config: JtsBrokerConfig, channelOptions: ChannelOptions) => BrokerConnection;

  constructor(options: BrokerConnectionManagerOptions = {}) {
    this.intervalMs = positive(options.healthIntervalMs ?? DEFAULT_HEALTH_INTERVAL_MS, 'healthIntervalMs');
    this.initialBackoffMs = Math.min(
      positive(options.initialProbeBackoffMs ?? DEFAULT_INITIAL_PROBE_BACKOFF_MS, 'initialProbeBackoffMs'),
      this.intervalMs,
    );
    const timeoutMs = positive(options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS, 'probeTimeoutMs');
    const slowMs = positive(options.slowProbeMs ?? DEFAULT_SLOW_PROBE_MS, 'slowProbeMs');
    const services = options.healthServices ?? JTS_HEALTH_SERVICES;
    this.probe = options.probe ?? ((connection) => probeBrokerHealth(connection, { services, timeoutMs, slowMs }));
    this.channelOptions = options.channelOptions ?? DEFAULT_CHANNEL_OPTIONS;
    this.random = options.random ?? Math.random;
    this.connectionFactory =
      options.connectionFactory ?? ((config, channelOptions) => createBrokerConnection(config.id, config.grpc, channelOptions));
  }

  /**
   * Opens the broker's channel and starts its health loop (first probe at once). Connecting an id that
   * is already connected to the same endpoint returns the existing connection.
   */
  connect(config: JtsBrokerConfig): BrokerConnection {
    const existing = this.entries.get(config.id);
    if (existing) {
      if (existing.config.grpc.host === config.grpc.host && existing.config.grpc.port === config.grpc.port) {
        return existing.connection;
      }
      throw new InvalidArgumentError(`broker '${config.id}' is already connected to ${existing.connection.target}`, {
        field: 'id',
      });
    }
    const entry: Entry = {
      config,
      connection: this.connectionFactory(config, this.channelOptions),
      backoff: new ExponentialBackoff({ initialMs: this.initialBackoffMs, maxMs: this.intervalMs, random: this.random }),
      status: ConnectionStatus.DISCONNECTED,
      reason: 'not connected',
      since: new Date(),
      probing: false,
    };
    this.entries.set(config.id, entry);
    this.setStatus(entry, ConnectionStatus.CONNECTING, `connecting to ${entry.connection.target}`);
    this.watchChannel(entry);
    this.schedule(entry, 0);
    return entry.connection;
  }

  /** Stops the health loop and closes the channel. Returns whether the broker was connected. */
  disconnect(brokerId: string): boolean {
    const entry = this.entries.get(brokerId);
    if (!entry) {
      return false;
    }
    this.entries.delete(brokerId);
    this.clearTimer(entry);
    entry.connection.close();
    this.setStatus(entry, ConnectionStatus.DISCONNECTED, 'disconnected');
    return true;
  }

  disconnectAll(): void {
    for (const brokerId of [...this.entries.keys()]) {
      this.disconnect(brokerId);
    }
  }

  getConnection(brokerId: string): BrokerConnection | undefined {
    return this.entries.get(brokerId)?.connection;
  }

  /** DISCONNECTED for a broker that is not connected (or unknown). */
  getStatus(brokerId: string): ConnectionStatus {
    return this.entries.get(brokerId)?.status ?? ConnectionStatus.DISCONNECTED;
  }

  /** When the broker's health was last checked; undefined before its first probe ended (or when not connected). */
  lastCheckedAt(brokerId: string): Date | undefined {
    return this.entries.get(brokerId)?.checkedAt;
  }

  listStatuses(): BrokerConnectionState[] {
    return [...this.entries.values()].map((entry) => ({
      brokerId: entry.config.id,
      target: entry.connection.target,
      status: entry.status,
      reason: entry.reason,
      since: entry.since,
    }));
  }

  /** Subscribes to status changes; returns the unsubscribe function. */
  onStatusChange(listener: ConnectionStatusListener): () => void {
    this.listeners.add(listener);
    return () => this.offStatusChange(listener);
  }

  offStatusChange(listener: ConnectionStatusListener): void {
    this.listeners.delete(listener);
  }

  /**
   * A call to the broker failed in a way that points at the connection (UNAVAILABLE, or no answer
   * before its deadline). If the channel is not READY the broker is DISCONNECTED now (later calls fail
   * fast); either way the next probe comes soon. On a READY channel the server itself answered so (its
   * broker session is down, or it hangs): the probe decides.
   */
  reportFailure(brokerId: string, reason = 'a call failed'): void {
    const entry = this.entries.get(brokerId);
    if (!entry) {
      return;
    }
    if (entry.connection.channel.getConnectivityState(false) !== connectivityState.READY) {
      this.setStatus(entry, ConnectionStatus.DISCONNECTED, reason);
    }
    entry.backoff.reset();
    this.schedule(entry, this.initialBackoffMs);
  }

  private watchChannel(entry: Entry): void {
    const channel = entry.connection.channel;
    const observed = channel.getConnectivityState(false);
    if (observed === connectivityState.SHUTDOWN) {
      return;
    }
    channel.watchConnectivityState(observed, Infinity, () => {
      if (this.entries.get(entry.config.id) !== entry) {
        return;
      }
      const now = channel.getConnectivityState(false);
      if (now === connectivityState.TRANSIENT_FAILURE) {
        this.setStatus(entry, ConnectionStatus.DISCONNECTED, 'channel in TRANSIENT_FAILURE');
      }
      if (observed === connectivityState.READY || now === connectivityState.READY) {
        // Lost the connection, or got it back: find out what that means without waiting.
        entry.backoff.reset();
        this.schedule(entry, 0);
      }
      this.watchChannel(entry);
    });
  }

  /** Arms the entry's probe timer for `delayMs` from now, unless it is already due sooner. */
  private schedule(entry: Entry, delayMs: number): void {
    if (entry.probing) {
      entry.requestedDelayMs = Math.min(entry.requestedDelayMs ?? Infinity, delayMs);
      return;
    }
    const dueAt = Date.now() + delayMs;
    if (entry.timer !== undefined && entry.timerDueAt !== undefined && entry.timerDueAt <= dueAt) {
      return;
    }
    this.clearTimer(entry);
    entry.timerDueAt = dueAt;
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      entry.timerDueAt = undefined;
      void this.runProbe(entry);
    }, delayMs);
    entry.timer.unref?.();
  }

  private async runProbe(entry: Entry): Promise<void> {
    entry.probing = true;
    let result;
    try {
      result = await this.probe(entry.connection);
    } catch (error) {
      result = { status: ConnectionStatus.DISCONNECTED, reason: `health probe failed: ${String(error)}` } as const;
    }
    entry.probing = false;
    if (this.entries.get(entry.config.id) !== entry) {
      return;
    }
    entry.checkedAt = new Date();
    this.setStatus(entry, result.status, result.reason);
    let delayMs: number;
    if (result.status === ConnectionStatus.CONNECTED) {
      entry.backoff.reset();
      delayMs = this.intervalMs;
    } else {
      delayMs = entry.backoff.next();
    }
    if (entry.requestedDelayMs !== undefined) {
      delayMs = Math.min(delayMs, entry.requestedDelayMs);
      entry.requestedDelayMs = undefined;
    }
    this.schedule(entry, delayMs);
  }

  private setStatus(entry: Entry, status: ConnectionStatus, reason: string): void {
    entry.reason = reason;
    if (entry.status === status) {
      return;
    }
    const event: ConnectionStatusEvent = {
      brokerId: entry.config.id,
      previous: entry.status,
      current: status,
      reason,
      at: new Date(),
    };
    entry.status = status;
    entry.since = event.at;
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A faulty listener must not stop the health loop nor keep other listeners from hearing.
      }
    }
  }

  private clearTimer(entry: Entry): void {
    if (entry.timer !== undefined) {
      clearTimeout(entry.timer);
    }
    entry.timer = undefined;
    entry.timerDueAt = undefined;
    entry.requestedDelayMs = undefined;
  }
}

function positive(value: number, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`${field} must be a positive number of milliseconds`, { field });
  }
  return value;
}
