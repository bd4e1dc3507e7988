import { status } from '@grpc/grpc-js';
import type { handleServerStreamingCall, handleUnaryCall, ServerWritableStream } from '@grpc/grpc-js';
import { BROKER_ERROR_CODES } from '@qts/broker-domain';
import type { BrokerFaults } from '../faults/broker-faults';
import type { SimulatorLogger } from '../logging/simulator-logger';
import type { BrokerRateEnforcer } from '../rate/broker-rate-enforcer';
import type { BrokerCallStats } from '../stats/broker-call-stats';
import { abortableSleep } from './abortable-sleep';
import { isInternalStatus, toGrpcStatusError } from './domain-error-status';
import { GrpcStatusError } from './grpc-status-error';
import { statusName } from './grpc-status-names';
import { JTS_RPC_OPERATIONS } from './jts-rpc';
import type { JtsRpcName } from './jts-rpc';

/** What the pipeline needs of a simulated broker. */
export interface BrokerCallContext {
  readonly id: string;
  readonly faults: BrokerFaults;
  readonly stats: BrokerCallStats;
  readonly rateEnforcer: BrokerRateEnforcer;
  readonly logger: SimulatorLogger;
  /** Aborted when the broker goes down or stops: pending delays end, open calls answer UNAVAILABLE. */
  readonly lifetime: AbortSignal;
}

/** Writes one message, waiting for 'drain' when the stream's buffer is full (or until aborted). */
export type StreamWriter<T> = (message: T) => Promise<void>;

/** Retry hint for an injected RESOURCE_EXHAUSTED, which has no window to compute one from. */
const INJECTED_RETRY_AFTER_MS = '1000';

/**
 * Runs every jts.v1 call the way the real server would treat it, in this order:
 * 1. count the request (stats);
 * 2. injected failures (fail-next, then error rate): answered at once, nothing processed;
 * 3. rate enforcement: over a rule -> RESOURCE_EXHAUSTED with jts-broker-code and retry-after-ms;
 * 4. the handler (domain errors -> status per the jts.v1 convention; anything else -> INTERNAL);
 * 5. injected latency, AFTER processing (so a slow PlaceOrder has placed its order even when the client
 *    gave up); for streams it comes before the first message.
 * Nothing a handler throws escapes: the server never crashes on a request.
 */
export class BrokerCallPipeline {
  constructor(private readonly broker: BrokerCallContext) {}

  unary<Req, Res>(rpc: JtsRpcName, handle: (request: Req) => Promise<Res>): handleUnaryCall<Req, Res> {
    return (call, callback) => {
      void this.runUnary(rpc, call.request, handle).then((outcome) => {
        if (outcome instanceof GrpcStatusError) {
          callback(outcome);
        } else {
          callback(null, outcome);
        }
      });
    };
  }

  serverStream<Req, Res>(
    rpc: JtsRpcName,
    handle: (request: Req, write: StreamWriter<Res>, signal: AbortSignal) => Promise<void>,
  ): handleServerStreamingCall<Req, Res> {
    return (call) => {
      void this.runStream(rpc, call, handle);
    };
  }

  /** The response or the error status. */
  private async runUnary<Req, Res>(
    rpc: JtsRpcName,
    request: Req,
    handle: (request: Req) => Promise<Res>,
  ): Promise<Res | GrpcStatusError> {
    const lifetime = this.broker.lifetime;
    const startedAt = performance.now();
    const refusal = this.admit(rpc);
    if (refusal !== null) {
      this.logOutcome(rpc, refusal, startedAt);
      return refusal;
    }
    let outcome: Res | GrpcStatusError;
    try {
      outcome = await handle(request);
    } catch (error) {
      outcome = this.toStatus(rpc, error);
    }
    await abortableSleep(this.broker.faults.latencyFor(rpc), lifetime);
    if (lifetime.aborted) {
      outcome = brokerWentDown();
    }
    this.logOutcome(rpc, outcome instanceof GrpcStatusError ? outcome : null, startedAt);
    return outcome;
  }

  private async runStream<Req, Res>(
    rpc: JtsRpcName,
    call: ServerWritableStream<Req, Res>,
    handle: (request: Req, write: StreamWriter<Res>, signal: AbortSignal) => Promise<void>,
  ): Promise<void> {
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    const lifetime = this.broker.lifetime;
    call.on('cancelled', abort);
    lifetime.addEventListener('abort', abort, { once: true });
    const startedAt = performance.now();
    try {
      const refusal = this.admit(rpc);
      if (refusal !== null) {
        this.logOutcome(rpc, refusal, startedAt);
        call.emit('error', refusal);
        return;
      }
      await abortableSleep(this.broker.faults.latencyFor(rpc), controller.signal);
      if (!controller.signal.aborted) {
        await handle(call.request, (message) => writeWithBackpressure(call, message, controller.signal), controller.signal);
      }
      this.endStream(rpc, call, controller.signal.aborted ? null : 'OK', startedAt);
    } catch (error) {
      this.endStream(rpc, call, controller.signal.aborted ? null : this.toStatus(rpc, error), startedAt);
    } finally {
      call.off('cancelled', abort);
      lifetime.removeEventListener('abort', abort);
    }
  }

  /**
   * Ends a stream with OK or an error; `null` means it was interrupted: nothing to send when the client
   * cancelled, UNAVAILABLE when the broker went down under it.
   */
  private endStream<Res>(rpc: JtsRpcName, call: ServerWritableStream<unknown, Res>, outcome: 'OK' | GrpcStatusError | null, startedAt: number): void {
    if (outcome === null && call.cancelled) {
      this.logOutcome(rpc, null, startedAt, 'cancelled');
      return;
    }
    const failure = outcome === null ? brokerWentDown() : outcome === 'OK' ? null : outcome;
    this.logOutcome(rpc, failure, startedAt);
    if (failure === null) {
      call.end();
    } else {
      call.emit('error', failure);
    }
  }

  private admit(rpc: JtsRpcName): GrpcStatusError | null {
    const { stats, faults, rateEnforcer } = this.broker;
    stats.recordRequest(rpc);
    const failure = faults.failureFor(rpc);
    if (failure !== null) {
      stats.recordInjectedFailure();
      return new GrpcStatusError(failure.code, `injected fault: ${statusName(failure.code)} (jts-simulator)`, {
        brokerCode: failure.brokerCode,
        retryAfterMs: failure.code === status.RESOURCE_EXHAUSTED ? INJECTED_RETRY_AFTER_MS : undefined,
      });
    }
    const violation = rateEnforcer.admit(JTS_RPC_OPERATIONS[rpc]);
    if (violation !== null) {
      stats.recordViolation(violation.ruleId);
      return new GrpcStatusError(
        status.RESOURCE_EXHAUSTED,
        `rate limit exceeded: at most ${violation.limit} requests per ${violation.windowMs} ms ` +
          `(rule ${violation.ruleId}, ${violation.brokerCode})`,
        {
          brokerCode: violation.brokerCode,
          errorCode: BROKER_ERROR_CODES.RATE_LIMITED,
          retryAfterMs: String(violation.retryAfterMs),
        },
      );
    }
    return null;
  }

  private toStatus(rpc: JtsRpcName, error: unknown): GrpcStatusError {
    const failure = toGrpcStatusError(error);
    if (isInternalStatus(failure)) {
      this.broker.logger.error(`${this.broker.id} ${rpc} failed`, {
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
    return failure;
  }

  private logOutcome(rpc: JtsRpcName, failure: GrpcStatusError | null, startedAt: number, outcome = 'OK'): void {
    this.broker.logger.debug(`${this.broker.id} ${rpc}`, {
      status: failure === null ? outcome : statusName(failure.code),
      ms: Math.round(performance.now() - startedAt),
      ...(failure !== null && { message: failure.details }),
    });
  }
}

/** What calls in flight get when their broker goes down: the client cannot tell whether they took effect. */
function brokerWentDown(): GrpcStatusError {
  return new GrpcStatusError(status.UNAVAILABLE, 'the broker went down while the call was in flight (jts-simulator)');
}

function writeWithBackpressure<T>(call: ServerWritableStream<unknown, T>, message: T, signal: AbortSignal): Promise<void> {
  if (signal.aborted || call.write(message)) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const done = (): void => {
      call.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    call.on('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
