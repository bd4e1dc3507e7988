import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ConnectionStatus } from '@qts/broker-domain';
import { METRICS_REGISTRY } from '@qts/service-infra';
import type { BrokerView } from '../brokers/broker-view';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The gateway's Prometheus metrics, in the service's registry (GET /metrics). Broker gauges are computed when
 * scraped, from `observeBrokers`' source.
 */
@Injectable()
export class GatewayMetrics {
  private brokerSource: () => BrokerView[] = () => [];

  private readonly httpRequests: Counter<'method' | 'route' | 'status_code'>;
  private readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  private readonly brokerCallDuration: Histogram<'broker' | 'rpc' | 'outcome'>;

  constructor(@Inject(METRICS_REGISTRY) readonly registry: Registry) {
    this.httpRequests = new Counter({
      name: 'gateway_http_requests_total',
      help: 'HTTP requests by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      registers: [registry],
    });
    this.httpDuration = new Histogram({
      name: 'gateway_http_request_duration_seconds',
      help: 'HTTP request latency by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    this.brokerCallDuration = new Histogram({
      name: 'gateway_broker_call_duration_seconds',
      help: 'Latency of calls to brokers by broker, RPC and outcome (ok or the error code)',
      labelNames: ['broker', 'rpc', 'outcome'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    // Inside collect(), `this` is the gauge; the broker source is reached through this closure.
    const brokers = (): BrokerView[] => this.brokerSource();
    new Gauge({
      name: 'gateway_rate_limit_usage_ratio',
      help: 'Share of a broker rate-limit rule used in its current window (0..1)',
      labelNames: ['broker', 'rule'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const broker of brokers()) {
          for (const rule of broker.rateLimit?.rules ?? []) this.set({ broker: broker.id, rule: rule.ruleId }, rule.ratio);
        }
      },
    });
    new Gauge({
      name: 'gateway_rate_limit_waiters',
      help: 'Calls queued for a permit of a broker rate-limit rule',
      labelNames: ['broker', 'rule'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const broker of brokers()) {
          for (const rule of broker.rateLimit?.rules ?? []) this.set({ broker: broker.id, rule: rule.ruleId }, rule.waiters);
        }
      },
    });
    new Gauge({
      name: 'gateway_broker_connection_status',
      help: 'Connection status of each broker: 1 for the current status label, 0 for the others',
      labelNames: ['broker', 'status'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const broker of brokers()) {
          for (const status of Object.values(ConnectionStatus)) {
            this.set({ broker: broker.id, status }, broker.status === status ? 1 : 0);
          }
        }
      },
    });
    new Gauge({
      name: 'gateway_broker_offline',
      help: '1 while a broker is served from the candle cache (offline mode)',
      labelNames: ['broker'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const broker of brokers()) this.set({ broker: broker.id }, broker.offline ? 1 : 0);
      },
    });
  }

  /** Where the broker gauges read from at scrape time. */
  observeBrokers(source: () => BrokerView[]): void {
    this.brokerSource = source;
  }

  recordHttpRequest(method: string, route: string, statusCode: number, seconds: number): void {
    const labels = { method, route, status_code: String(statusCode) };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }

  recordBrokerCall(broker: string, rpc: string, outcome: string, seconds: number): void {
    this.brokerCallDuration.observe({ broker, rpc, outcome }, seconds);
  }
}
