import { Controller, Get, Header } from '@nestjs/common';
import { Registry } from 'prom-client';
import { WorkerMetrics } from './worker-metrics';

/** Prometheus scrape endpoint (open, like the health endpoints). */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: WorkerMetrics) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  scrape(): Promise<string> {
    return this.metrics.render();
  }
}
