import { ServiceStoppingError } from '@qts/service-infra';

/**
 * The worker is shutting down: the intent was not sent (it may be stored, and is then sent after the restart, in
 * its place). The strategy submits it again with the same intent id (UNAVAILABLE).
 */
export class WorkerStoppingError extends ServiceStoppingError {
  constructor(intentId: string) {
    super(`the execution worker is shutting down; intent '${intentId}' was not sent, submit it again`);
  }
}
