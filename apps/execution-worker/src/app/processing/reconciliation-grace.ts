import { Inject, Injectable } from '@nestjs/common';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';

/**
 * How long after sending an order the broker may still not know it before it counts as "never reached the broker":
 * the broker's own `reconcileGraceMs` (brokers YAML), else WORKER_RECONCILE_GRACE_MS. The configuration loader checks
 * that each exceeds that broker's call deadline.
 */
@Injectable()
export class ReconciliationGrace {
  private readonly byBroker: ReadonlyMap<string, number>;
  private readonly defaultMs: number;

  constructor(@Inject(PLATFORM_CONFIG) config: Pick<PlatformConfig, 'brokers' | 'worker'>) {
    this.defaultMs = config.worker.reconcileGraceMs;
    this.byBroker = new Map(
      config.brokers.flatMap((broker) => (broker.reconcileGraceMs === undefined ? [] : [[broker.id, broker.reconcileGraceMs]])),
    );
  }

  forBroker(brokerId: string): number {
    return this.byBroker.get(brokerId) ?? this.defaultMs;
  }
}
