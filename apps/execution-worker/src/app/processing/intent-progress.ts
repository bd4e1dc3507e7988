import type { StoredIntent } from '../persistence/stored-intent';

/** Where an intent being executed by this process stands: in its key's queue, waiting for a permit, or being sent. */
export type IntentStage = 'queued' | 'awaiting-permit' | 'sending';

interface Tracked {
  stored: StoredIntent;
  key: string;
  stage: IntentStage;
}

/**
 * The intents this process is executing right now and the stage each has reached: what a PENDING answer is built
 * from when the caller's deadline comes before the broker's answer (no database read on that path).
 */
export class IntentProgress {
  private readonly tracked = new Map<string, Tracked>();

  track(stored: StoredIntent, key: string): void {
    this.tracked.set(stored.intent.intentId, { stored, key, stage: 'queued' });
  }

  advance(intentId: string, stage: IntentStage): void {
    const entry = this.tracked.get(intentId);
    if (entry !== undefined) entry.stage = stage;
  }

  forget(intentId: string): void {
    this.tracked.delete(intentId);
  }

  get(intentId: string): Readonly<Tracked> | undefined {
    return this.tracked.get(intentId);
  }
}
