import { connect } from 'node:net';
import {
  BROKER_ERROR_CODES,
  ConnectionStatus,
  isBrokerError,
  type ConnectionStatusEvent,
  type ConnectionStatusListener,
} from '@qts/broker-domain';
import { isRestTransportError, type RestTransportError } from '../http/rest-transport-error';

export const DEFAULT_REST_HEALTH_INTERVAL_MS = 30_000;
export const DEFAULT_REST_PROBE_BACKOFF_MS = 250;
export const DEFAULT_REST_PROBE_TIMEOUT_MS = 2_000;

/** Told how every request of a REST connection ended (token issuance included). */
export interface RestRequestObserver {
  /** An HTTP answer arrived, whatever it said: the server is there and reads requests. */
  answered(): void;
  /** The request failed; `error` as the caller sees it. */
  failed(error: unknown): void;
}

/** Opens a TCP connection to the server and closes it: nothing the broker counts as a request. */
export type ReachabilityProbe = (host: string, port: number, timeoutMs: number) => Promise<void>;

export interface RestConnectionHealthOptions {
  brokerId: string;
  baseUrl: string;
  /** While CONNECTED and idle: how often reachability is checked. Also the cap of the backoff. Default 30 s. */
  intervalMs?: number;
  /** First re-probe delay while DISCONNECTED (doubles up to the interval). Default 250 ms. */
  initialBackoffMs?: number;
  probeTimeoutMs?: number;
  probe?: ReachabilityProbe;
  now?: () => number;
}

/**
 * The status of a REST broker connection. KIS and Kiwoom have no health endpoint, so the status comes from what
 * requests meet, and, while none are made, from a TCP connect to the server (which sends no HTTP request, so the
 * broker counts nothing):
 * - CONNECTING until the first answer or probe;
 * - CONNECTED after an HTTP answer (any status) or a successful probe;
 * - DEGRADED after a request that got no answer in time or lost its connection: the server is there but slow;
 *   only an answer clears it;
 * - DISCONNECTED when no connection can be made, or the broker refused the credentials; probes follow with
 *   exponential backoff, and the first answer or successful connect (after a connection failure) ends it.
 * Requests are never refused because of the status: a REST request to a server that is down fails at once.
 */
export class RestConnectionHealth implements RestRequestObserver {
  private state: ConnectionStatus = ConnectionStatus.CONNECTING;
  private reasonText = 'no request answered yet';
  private changedAt = new Date();
  /** Why it is DISCONNECTED: a probe can end only a connection failure, never refused credentials. */
  private disconnectedBy: 'connection' | 'credentials' | undefined;
  private readonly listeners = new Set<ConnectionStatusListener>();
  private readonly host: string;
  private readonly port: number;
  private readonly intervalMs: number;
  private readonly initialBackoffMs: number;
  private readonly probeTimeoutMs: number;
  private readonly probe: ReachabilityProbe;
  private readonly now: () => number;
  private backoffMs: number;
  private lastAnsweredAt = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private probing = false;

  constructor(private readonly options: RestConnectionHealthOptions) {
    const url = new URL(options.baseUrl);
    this.host = url.hostname.replace(/^\[|\]$/g, '');
    this.port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    this.intervalMs = options.intervalMs ?? DEFAULT_REST_HEALTH_INTERVAL_MS;
    this.initialBackoffMs = Math.min(options.initialBackoffMs ?? DEFAULT_REST_PROBE_BACKOFF_MS, this.intervalMs);
    this.backoffMs = this.initialBackoffMs;
    this.probeTimeoutMs = options.probeTimeoutMs ?? DEFAULT_REST_PROBE_TIMEOUT_MS;
    this.probe = options.probe ?? tcpReachability;
    this.now = options.now ?? Date.now;
  }

  get brokerId(): string {
    return this.options.brokerId;
  }

  get status(): ConnectionStatus {
    return this.state;
  }

  get reason(): string {
    return this.reasonText;
  }

  /** When the status last changed. */
  get since(): Date {
    return this.changedAt;
  }

  /** 'host:port' of the server. */
  get target(): string {
    return `${this.host}:${this.port}`;
  }

  onStatusChange(listener: ConnectionStatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts the probes: the first at once, so readiness knows the server before any request is made. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  answered(): void {
    this.lastAnsweredAt = this.now();
    this.backoffMs = this.initialBackoffMs;
    this.set(ConnectionStatus.CONNECTED, 'requests are answered');
  }

  failed(error: unknown): void {
    const transport = transportCause(error);
    if (transport !== undefined) {
      if (transport.kind === 'connection') {
        this.disconnect('connection', `cannot connect to ${this.target}`);
      } else if (this.state !== ConnectionStatus.DISCONNECTED) {
        this.set(
          ConnectionStatus.DEGRADED,
          transport.kind === 'timeout' ? 'a request got no answer in time' : 'a connection was lost during a request',
        );
      }
      return;
    }
    if (isBrokerError(error) && error.code === BROKER_ERROR_CODES.AUTHENTICATION_FAILED) {
      this.disconnect('credentials', 'the broker refused the credentials or the access token');
    }
    // Anything else was decided on this side (no permit, a cancelled read) or came with an answer.
  }

  private disconnect(cause: 'connection' | 'credentials', reason: string): void {
    this.disconnectedBy = cause;
    const wasDisconnected = this.state === ConnectionStatus.DISCONNECTED;
    this.set(ConnectionStatus.DISCONNECTED, reason);
    if (!wasDisconnected) {
      this.backoffMs = this.initialBackoffMs;
      if (this.running && !this.probing) this.schedule(this.backoffMs);
    }
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runProbe();
    }, delayMs);
    this.timer.unref?.();
  }

  private async runProbe(): Promise<void> {
    const idleFor = this.now() - this.lastAnsweredAt;
    if (this.state === ConnectionStatus.CONNECTED && idleFor < this.intervalMs) {
      // Requests are answered: they say more than a probe could.
      this.schedule(this.intervalMs - idleFor);
      return;
    }
    this.probing = true;
    let reachable: boolean;
    let failure = '';
    try {
      await this.probe(this.host, this.port, this.probeTimeoutMs);
      reachable = true;
    } catch (error) {
      reachable = false;
      failure = error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' ? ` (${(error as NodeJS.ErrnoException).code})` : '';
    }
    this.probing = false;
    if (!this.running) return;
    if (!reachable) {
      this.disconnectedBy = 'connection';
      this.set(ConnectionStatus.DISCONNECTED, `cannot connect to ${this.target}${failure}`);
      this.schedule(this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, this.intervalMs);
      return;
    }
    this.backoffMs = this.initialBackoffMs;
    if (
      this.state === ConnectionStatus.CONNECTING ||
      (this.state === ConnectionStatus.DISCONNECTED && this.disconnectedBy === 'connection')
    ) {
      this.set(ConnectionStatus.CONNECTED, `${this.target} is reachable`);
    }
    this.schedule(this.state === ConnectionStatus.DISCONNECTED ? this.backoffMs : this.intervalMs);
  }

  private set(status: ConnectionStatus, reason: string): void {
    this.reasonText = reason;
    if (status !== ConnectionStatus.DISCONNECTED) this.disconnectedBy = undefined;
    if (status === this.state) return;
    const event: ConnectionStatusEvent = {
      brokerId: this.options.brokerId,
      previous: this.state,
      current: status,
      reason,
      at: new Date(),
    };
    this.state = status;
    this.changedAt = event.at;
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A faulty listener must not stop the others, nor the probes.
      }
    }
  }
}

function transportCause(error: unknown): RestTransportError | undefined {
  for (let cause: unknown = error, depth = 0; cause !== undefined && cause !== null && depth < 5; depth++) {
    if (isRestTransportError(cause)) return cause;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A TCP connect and an immediate close. */
export const tcpReachability: ReachabilityProbe = (host, port, timeoutMs) =>
  new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error(`no connection within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
  });
