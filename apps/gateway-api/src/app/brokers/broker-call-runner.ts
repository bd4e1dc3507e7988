import { Injectable } from '@nestjs/common';
import { BrokerRegistry, isBrokerError, type BrokerGateway, type BrokerOperation } from '@qts/broker-domain';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { OfflineModeTracker } from './offline-mode-tracker';

/**
 * Every broker call of the gateway goes through here: the broker is looked up (unknown -> 404), the call is
 * timed per broker and RPC, and a success ends the broker's offline mode.
 */
@Injectable()
export class BrokerCallRunner {
  constructor(
    private readonly registry: BrokerRegistry,
    private readonly metrics: GatewayMetrics,
    private readonly offline: OfflineModeTracker,
  ) {}

  /** The gateway of a registered broker; BrokerNotFoundError otherwise. */
  gateway(brokerId: string): BrokerGateway {
    return this.registry.require(brokerId);
  }

  /**
   * `signal`: the caller's cancellation (a client that closed its stream). A call that fails after it is recorded
   * as CANCELLED, not as the broker's failure.
   */
  async run<T>(
    brokerId: string,
    operation: BrokerOperation,
    call: (gateway: BrokerGateway) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    const gateway = this.gateway(brokerId);
    const started = process.hrtime.bigint();
    let outcome = 'ok';
    try {
      const result = await call(gateway);
      this.offline.markOnline(brokerId);
      return result;
    } catch (error) {
      outcome = signal?.aborted ? 'CANCELLED' : isBrokerError(error) ? error.code : 'INTERNAL';
      throw error;
    } finally {
      this.metrics.recordBrokerCall(
        brokerId,
        operation,
        outcome,
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    }
  }

  /**
   * A streamed call, timed like `run` from its start to its end (or the consumer stopping). A success, or the first
   * item, ends the broker's offline mode.
   */
  async *runStream<T>(brokerId: string, operation: BrokerOperation, open: (gateway: BrokerGateway) => AsyncIterable<T>): AsyncIterable<T> {
    const gateway = this.gateway(brokerId);
    const started = process.hrtime.bigint();
    let outcome = 'ok';
    let first = true;
    try {
      for await (const item of open(gateway)) {
        if (first) {
          this.offline.markOnline(brokerId);
          first = false;
        }
        yield item;
      }
      this.offline.markOnline(brokerId);
    } catch (error) {
      outcome = isBrokerError(error) ? error.code : 'INTERNAL';
      throw error;
    } finally {
      this.metrics.recordBrokerCall(brokerId, operation, outcome, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }
}
