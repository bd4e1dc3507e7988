import { BrokerRegistry, BrokerUnavailableError, MockBrokerGateway } from '@qts/broker-domain';
import { Registry } from 'prom-client';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { BrokerCallRunner } from './broker-call-runner';
import { OfflineModeTracker } from './offline-mode-tracker';

describe('BrokerCallRunner', () => {
  const setup = () => {
    const registry = new BrokerRegistry();
    registry.register(new MockBrokerGateway({ brokerId: 'kis' }));
    const metricsRegistry = new Registry();
    const runner = new BrokerCallRunner(
      registry,
      new GatewayMetrics(metricsRegistry),
      new OfflineModeTracker(),
    );
    const outcomes = async () =>
      (await metricsRegistry.getSingleMetric('gateway_broker_call_duration_seconds')?.get())?.values
        .filter(
          (value) =>
            (value as { metricName?: string }).metricName === 'gateway_broker_call_duration_seconds_count',
        )
        .map((value) => `${value.labels['rpc']}:${value.labels['outcome']}=${value.value}`);
    return { runner, outcomes };
  };

  it("records the broker's failure by its code, and a failure after the caller cancelled as CANCELLED", async () => {
    const { runner, outcomes } = setup();
    const cancelled = new AbortController();
    cancelled.abort();

    await expect(
      runner.run('kis', 'getQuote', async () => Promise.reject(new BrokerUnavailableError('down'))),
    ).rejects.toThrow('down');
    await expect(
      runner.run(
        'kis',
        'streamQuotes',
        async () => Promise.reject(new BrokerUnavailableError('stream ended')),
        cancelled.signal,
      ),
    ).rejects.toThrow('stream ended');
    await runner.run('kis', 'getQuote', async () => 'quote', new AbortController().signal);

    expect(await outcomes()).toEqual([
      'getQuote:BROKER_UNAVAILABLE=1',
      'streamQuotes:CANCELLED=1',
      'getQuote:ok=1',
    ]);
  });
});
