import { Inject, Injectable, Logger } from '@nestjs/common';
import type { WorkerSettings } from '@qts/platform-config';
import { WORKER_SETTINGS } from '../config/worker-settings.provider';
import { WorkerLeases } from '../persistence/worker-leases';
import { InFlightRecovery } from './in-flight-recovery';

/**
 * Keeps this worker's lease alive and takes over what other workers leave: every quarter of WORKER_LEASE_TTL_MS it
 * renews the lease, then takes over the intents of workers that are gone (stopped cleanly: at once; crashed: once
 * their lease expired, or at once when they ran on this host). So intents a stopping replica handed back, and
 * orders a crashed one had in flight, are picked up by the replicas still running, not only at the next start.
 */
@Injectable()
export class WorkerOwnership {
  private readonly logger = new Logger(WorkerOwnership.name);
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private takingOver = true;

  constructor(
    private readonly leases: WorkerLeases,
    private readonly recovery: InFlightRecovery,
    @Inject(WORKER_SETTINGS) private readonly settings: WorkerSettings,
  ) {}

  /** Starts the heartbeat (the lease is written by the start-up recovery). */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.tick(), Math.floor(this.settings.leaseTtlMs / 4));
    this.timer.unref();
  }

  /** One heartbeat and take-over round; rounds never overlap. */
  tick(): Promise<void> {
    this.round ??= this.runRound().finally(() => {
      this.round = undefined;
    });
    return this.round;
  }

  /** Shutdown: no more take-overs (the heartbeat goes on while this worker drains). */
  stopTakingOver(): void {
    this.takingOver = false;
  }

  /** Shutdown, after the drain: no heartbeat, and the lease removed, so that the other workers take over at once. */
  async release(): Promise<void> {
    this.takingOver = false;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.round;
    try {
      await this.leases.release();
    } catch (error) {
      this.logger.warn(`The lease could not be removed (${describe(error)}): the other workers take over once it expires`);
    }
  }

  private async runRound(): Promise<void> {
    try {
      if (!(await this.leases.renew())) {
        this.logger.warn('This worker\'s lease had lapsed (silent for WORKER_LEASE_TTL_MS): intents it owned may have been taken over');
      }
      if (this.takingOver) await this.recovery.takeOver();
    } catch (error) {
      this.logger.warn(`Lease heartbeat or take-over failed: ${describe(error)}`);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
