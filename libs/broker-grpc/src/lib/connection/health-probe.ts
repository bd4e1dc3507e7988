import { connectivityState, Metadata, ServiceError, status } from '@grpc/grpc-js';
import { ConnectionStatus } from '@qts/broker-domain';
import { BrokerConnection } from './broker-connection';
import { HealthServingStatus } from './health-client';

/** The services a JTS server must report SERVING for the broker to count as CONNECTED. */
export const JTS_HEALTH_SERVICES: readonly string[] = Object.freeze([
  'jts.v1.MarketDataService',
  'jts.v1.TradingService',
]);

export interface HealthProbeOptions {
  services?: readonly string[];
  /** Deadline of each Health/Check call. */
  timeoutMs: number;
  /** A probe that answers SERVING but takes longer than this reports DEGRADED. */
  slowMs: number;
}

export interface HealthProbeResult {
  status: Exclude<ConnectionStatus, ConnectionStatus.CONNECTING>;
  /** Why, for the status-change event and logs. */
  reason: string;
}

/** Probes one broker; the connection manager calls it on its schedule. Never rejects. */
export type HealthProbe = (connection: BrokerConnection) => Promise<HealthProbeResult>;

type CheckOutcome = { serving: HealthServingStatus } | { error: ServiceError };

/**
 * One probe: `grpc.health.v1.Health/Check` for every JTS service, in parallel.
 * - every service SERVING, in time (judged only on an already connected channel) -> CONNECTED;
 * - answering, but some service NOT_SERVING / unknown to the health service, a SERVING answer slower
 *   than `slowMs`, or another error status -> DEGRADED;
 * - no answer from any service: cannot connect, connection lost (UNAVAILABLE, CANCELLED), or no answer
 *   within `timeoutMs` -> DISCONNECTED. A server that cannot answer its own health check within the
 *   probe timeout (shorter than call deadlines) is treated as gone, so that calls fail fast
 *   (BrokerUnavailable: nothing sent) instead of sending orders into it that would end as unknown
 *   outcomes.
 * A server without the health service at all (UNIMPLEMENTED) is judged by reachability alone: it
 * answered, so it is up.
 */
export async function probeBrokerHealth(
  connection: BrokerConnection,
  options: HealthProbeOptions,
): Promise<HealthProbeResult> {
  const services = options.services ?? JTS_HEALTH_SERVICES;
  // Asking for the state with tryToConnect wakes an IDLE channel, so the checks below find out.
  const readyBefore = connection.channel.getConnectivityState(true) === connectivityState.READY;
  const startedAt = performance.now();
  const outcomes = await Promise.all(services.map((service) => check(connection, service, options.timeoutMs)));
  const elapsedMs = Math.round(performance.now() - startedAt);

  const problems: string[] = [];
  let unreachable = 0;
  services.forEach((service, index) => {
    const outcome = outcomes[index];
    if ('serving' in outcome) {
      if (outcome.serving !== 'SERVING') problems.push(`${service} ${outcome.serving}`);
      return;
    }
    const code = outcome.error.code;
    if (code === status.UNIMPLEMENTED) return;
    // CANCELLED: the server shut down while answering (grpc-js cancels its calls on shutdown).
    // DEADLINE_EXCEEDED: no answer at all, even on a live TCP connection (a hung process).
    if (code === status.UNAVAILABLE || code === status.CANCELLED || code === status.DEADLINE_EXCEEDED) {
      unreachable++;
      problems.push(`${service} unreachable (${status[code]})`);
      return;
    }
    problems.push(code === status.NOT_FOUND ? `${service} not registered` : `${service} ${status[code]}`);
  });

  if (unreachable === services.length) {
    return { status: ConnectionStatus.DISCONNECTED, reason: problems.join('; ') };
  }
  if (problems.length > 0) {
    return { status: ConnectionStatus.DEGRADED, reason: problems.join('; ') };
  }
  // Only an answer on an established connection is judged for speed: a probe that first had to
  // connect also measured the TCP and HTTP/2 handshakes, which say nothing about the server.
  if (readyBefore && elapsedMs > options.slowMs) {
    return { status: ConnectionStatus.DEGRADED, reason: `health check took ${elapsedMs} ms (> ${options.slowMs} ms)` };
  }
  return { status: ConnectionStatus.CONNECTED, reason: 'all services SERVING' };
}

function check(connection: BrokerConnection, service: string, timeoutMs: number): Promise<CheckOutcome> {
  return new Promise((resolve) => {
    connection.health.check(
      { service },
      // waitForReady off: an unreachable server fails the check at once instead of at its deadline.
      new Metadata({ waitForReady: false }),
      { deadline: Date.now() + timeoutMs },
      (error, response) => {
        if (error) resolve({ error });
        else resolve({ serving: response?.status ?? 'UNKNOWN' });
      },
    );
  });
}
