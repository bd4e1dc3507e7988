import { Channel, ClientReadableStream, connectivityState, Metadata, ServiceError, status } from '@grpc/grpc-js';
import { isGrpcServiceError } from '../errors/grpc-service-error';

/**
 * Call metadata of every JTS call. waitForReady stays off (the grpc-js default, set explicitly because
 * correctness depends on it): on a channel that cannot connect a call fails at once with UNAVAILABLE
 * instead of waiting for its deadline.
 */
export function callMetadata(): Metadata {
  return new Metadata({ waitForReady: false });
}

/** Runs a callback-style unary call as a promise. */
export function unaryCall<T>(start: (callback: (error: ServiceError | null, response?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    start((error, response) => {
      if (error) reject(error);
      else if (response === undefined) reject(new Error('gRPC call completed without a response'));
      else resolve(response);
    });
  });
}

/**
 * The messages of a server-streaming call as an async iterable, pulled one at a time (back-pressure:
 * grpc-js stops reading from the connection while the consumer is busy). Leaving the loop early
 * (break, return(), an exception) or any of the signals aborting cancels the call at the server.
 */
export async function* readServerStream<T>(
  call: ClientReadableStream<T>,
  ...signals: (AbortSignal | undefined)[]
): AsyncGenerator<T> {
  // After a cancel the stream still emits 'error' (CANCELLED); without a listener that would crash.
  call.on('error', () => undefined);
  const active = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  const onAbort = () => call.cancel();
  active.forEach((signal) => signal.addEventListener('abort', onAbort, { once: true }));
  let ended = false;
  try {
    if (active.some((signal) => signal.aborted)) {
      call.cancel();
    }
    for await (const message of call) {
      yield message as T;
    }
    ended = true;
  } finally {
    active.forEach((signal) => signal.removeEventListener('abort', onAbort));
    if (!ended) {
      call.cancel();
    }
  }
}

/**
 * Waits until the channel is READY (true) or cannot become so (false: TRANSIENT_FAILURE, SHUTDOWN, or
 * the deadline passed). An IDLE channel is asked to connect. Used before sending an order, so that an
 * order is only ever sent on a live connection and any later UNAVAILABLE can be judged correctly.
 */
export function waitForChannelReady(channel: Channel, deadline: number): Promise<boolean> {
  return new Promise((resolve) => {
    const evaluate = () => {
      const state = channel.getConnectivityState(true);
      if (state === connectivityState.READY) {
        resolve(true);
      } else if (
        state === connectivityState.TRANSIENT_FAILURE ||
        state === connectivityState.SHUTDOWN ||
        Date.now() >= deadline
      ) {
        resolve(false);
      } else {
        channel.watchConnectivityState(state, deadline, (error) => (error ? resolve(false) : evaluate()));
      }
    };
    evaluate();
  });
}

/** Whether a call failed with gRPC status UNAVAILABLE (the only status reads are retried on). */
export function isUnavailableStatus(error: unknown): boolean {
  return isGrpcServiceError(error) && error.code === status.UNAVAILABLE;
}

/**
 * Whether a failure says something about the connection rather than the request (UNAVAILABLE, or no
 * answer before the deadline): worth telling the connection manager, which then probes at once.
 */
export function suggestsConnectionTrouble(error: unknown): error is ServiceError {
  return isGrpcServiceError(error) && (error.code === status.UNAVAILABLE || error.code === status.DEADLINE_EXCEEDED);
}

/**
 * Whether a call the client did NOT cancel broke because the connection went away: UNAVAILABLE, or
 * CANCELLED (a grpc-js server shutting down cancels its calls, and clients see CANCELLED).
 */
export function isConnectionLoss(error: unknown): boolean {
  return isUnavailableStatus(error) || (isGrpcServiceError(error) && error.code === status.CANCELLED);
}
