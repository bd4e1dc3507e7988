import type { Provider } from '@nestjs/common';
import { PLATFORM_CONFIG, type PlatformConfig, type WorkerSettings } from '@qts/platform-config';

/** The worker's part of the validated platform configuration (`config.worker`), for the services that need only it. */
export const WORKER_SETTINGS = Symbol('WORKER_SETTINGS');

export const workerSettingsProvider: Provider<WorkerSettings> = {
  provide: WORKER_SETTINGS,
  inject: [PLATFORM_CONFIG],
  useFactory: (config: PlatformConfig) => config.worker,
};
