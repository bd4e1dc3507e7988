import { EventEmitter } from 'node:events';
import { status } from '@grpc/grpc-js';
import type { ServerUnaryCall, ServerWritableStream } from '@grpc/grpc-js';
import { BrokerType, SymbolNotFoundError } from '@qts/broker-domain';
import { capturingLogger } from '../../../test/jts-test-clients';
import { BrokerFaults } from '../faults/broker-faults';
import { BrokerRateEnforcer } from '../rate/broker-rate-enforcer';
import { BrokerCallStats } from '../stats/broker-call-stats';
import { BrokerCallPipeline } from './broker-call-pipeline';
import type { BrokerCallContext } from './broker-call-pipeline';
import { INTERNAL_ERROR_MESSAGE } from './domain-error-status';
import { GrpcStatusError } from './grpc-status-error';

/** A server stream whose buffer is full after `capacity` writes until drain() is called. */
class FakeServerStream extends EventEmitter {
  readonly written: number[] = [];
  cancelled = false;
  ended = false;
  failure: GrpcStatusError | undefined;
  private buffered = 0;

  constructor(
    readonly request: object,
    private readonly capacity: number,
  ) {
    super();
    this.on('error', (error: GrpcStatusError) => (this.failure = error));
  }

  write(message: number): boolean {
    this.written.push(message);
    this.buffered += 1;
    return this.buffered < this.capacity;
  }

  drain(): void {
    this.buffered = 0;
    this.emit('drain');
  }

  end(): void {
    this.ended = true;
  }

  cancel(): void {
    this.cancelled = true;
    this.emit('cancelled');
  }
}

function context(): BrokerCallContext & { lifetimeController: AbortController; logger: ReturnType<typeof capturingLogger> } {
  const lifetimeController = new AbortController();
  return {
    id: 'kis',
    faults: new BrokerFaults(1, 'kis'),
    stats: new BrokerCallStats(),
    rateEnforcer: BrokerRateEnforcer.create('none', BrokerType.KIS),
    logger: capturingLogger('debug'),
    lifetimeController,
    get lifetime() {
      return lifetimeController.signal;
    },
  };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('BrokerCallPipeline', () => {
  it('waits for drain when the stream buffer is full before writing more', async () => {
    const broker = context();
    const stream = new FakeServerStream({}, 3);
    const handler = new BrokerCallPipeline(broker).serverStream<object, number>('GetCandles', async (_request, write) => {
      for (let message = 1; message <= 7; message += 1) {
        await write(message);
      }
    });

    handler(stream as unknown as ServerWritableStream<object, number>);
    await flush();
    expect(stream.written).toEqual([1, 2, 3]);

    stream.drain();
    await flush();
    expect(stream.written).toEqual([1, 2, 3, 4, 5, 6]);
    expect(stream.ended).toBe(false);

    stream.drain();
    await flush();
    expect(stream.written).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(stream.ended).toBe(true);
  });

  it('stops a stream blocked on back-pressure when the client cancels, sending nothing more', async () => {
    const broker = context();
    const stream = new FakeServerStream({}, 1);
    let stoppedWith: boolean | undefined;
    const handler = new BrokerCallPipeline(broker).serverStream<object, number>('GetCandles', async (_request, write, signal) => {
      for (let message = 1; message <= 5 && !signal.aborted; message += 1) {
        await write(message);
      }
      stoppedWith = signal.aborted;
    });

    handler(stream as unknown as ServerWritableStream<object, number>);
    await flush();
    stream.cancel();
    await flush();

    expect(stream.written).toEqual([1]);
    expect(stoppedWith).toBe(true);
    expect(stream.ended).toBe(false);
    expect(stream.failure).toBeUndefined();
    expect(broker.logger.lines.some((line) => line.includes('"status":"cancelled"'))).toBe(true);
  });

  it('fails an open stream with UNAVAILABLE when the broker goes down under it', async () => {
    const broker = context();
    const stream = new FakeServerStream({}, 100);
    const handler = new BrokerCallPipeline(broker).serverStream<object, number>('StreamQuotes', async (_request, write, signal) => {
      await write(1);
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
    });

    handler(stream as unknown as ServerWritableStream<object, number>);
    await flush();
    broker.lifetimeController.abort();
    await flush();

    expect(stream.failure?.code).toBe(status.UNAVAILABLE);
  });

  it('answers a call of a delayed RPC exactly its latency after processing it, and other RPCs at once', async () => {
    jest.useFakeTimers();
    try {
      const broker = context();
      broker.faults.setLatency({ latencyMs: 400, rpcs: ['GetQuote'] });
      const pipeline = new BrokerCallPipeline(broker);
      const processed: string[] = [];
      const quoteAnswer = jest.fn();
      const symbolsAnswer = jest.fn();

      pipeline.unary<object, object>('GetQuote', async () => {
        processed.push('GetQuote');
        return { price: '71500' };
      })({ request: {} } as ServerUnaryCall<object, object>, quoteAnswer);
      pipeline.unary<object, object>('GetSymbols', async () => {
        processed.push('GetSymbols');
        return { symbols: [] };
      })({ request: {} } as ServerUnaryCall<object, object>, symbolsAnswer);
      await jest.advanceTimersByTimeAsync(0);

      // Both processed at once (a slow PlaceOrder has placed its order); only the delayed one waits to answer.
      expect(processed).toEqual(['GetQuote', 'GetSymbols']);
      expect(symbolsAnswer).toHaveBeenCalledWith(null, { symbols: [] });
      await jest.advanceTimersByTimeAsync(399);
      expect(quoteAnswer).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);
      expect(quoteAnswer).toHaveBeenCalledWith(null, { price: '71500' });
    } finally {
      jest.useRealTimers();
    }
  });

  it('answers an unexpected handler error with INTERNAL and a safe message, and logs the real one', async () => {
    const broker = context();
    const callback = jest.fn();
    const handler = new BrokerCallPipeline(broker).unary<object, object>('GetSymbols', async () => {
      throw new TypeError('cannot read x of undefined');
    });

    handler({ request: {} } as ServerUnaryCall<object, object>, callback);
    await flush();

    expect(callback).toHaveBeenCalledWith(expect.objectContaining({ code: status.INTERNAL, details: INTERNAL_ERROR_MESSAGE }));
    expect(broker.logger.lines.some((line) => line.includes('ERROR kis GetSymbols failed') && line.includes('cannot read x'))).toBe(true);
  });

  it('reports a domain error of a stream as its status', async () => {
    const broker = context();
    const stream = new FakeServerStream({}, 10);
    const handler = new BrokerCallPipeline(broker).serverStream<object, number>('GetCandles', async () => {
      throw new SymbolNotFoundError('symbol 999999 is not listed');
    });

    handler(stream as unknown as ServerWritableStream<object, number>);
    await flush();

    expect(stream.failure?.code).toBe(status.NOT_FOUND);
    expect(stream.failure?.trailer('errorCode')).toBe('SYMBOL_NOT_FOUND');
  });

  it('refuses a stream before it starts when a fault says so', async () => {
    const broker = context();
    broker.faults.setFailNext({ count: 1, failure: { code: status.UNAVAILABLE }, rpcs: [] });
    const stream = new FakeServerStream({}, 10);
    const handle = jest.fn();
    const handler = new BrokerCallPipeline(broker).serverStream<object, number>('StreamQuotes', handle);

    handler(stream as unknown as ServerWritableStream<object, number>);
    await flush();

    expect(stream.failure?.code).toBe(status.UNAVAILABLE);
    expect(handle).not.toHaveBeenCalled();
    expect(broker.stats.snapshot().injectedFailures).toBe(1);
  });
});
