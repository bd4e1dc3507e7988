import { Global, Module, type DynamicModule } from '@nestjs/common';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';
import { SYSTEM_CLOCK, WORKER_CLOCK, type WorkerClock } from '../processing/worker-clock';
import { DEFAULT_WORKER_SETTINGS, loadWorkerSettings, WORKER_SETTINGS, type WorkerSettings } from './worker-settings';

export interface WorkerSettingsModuleOptions {
  /** Given: used as is over the defaults (tests). Absent: read and validated from the environment. */
  settings?: Partial<WorkerSettings>;
  clock?: WorkerClock;
}

/** WORKER_SETTINGS (validated at start-up) and WORKER_CLOCK, for every module of the worker. */
@Global()
@Module({})
export class WorkerSettingsModule {
  static forRoot(options: WorkerSettingsModuleOptions = {}): DynamicModule {
    return {
      module: WorkerSettingsModule,
      providers: [
        {
          provide: WORKER_SETTINGS,
          inject: [PLATFORM_CONFIG],
          useFactory: (config: PlatformConfig): WorkerSettings =>
            options.settings === undefined
              ? loadWorkerSettings(process.env, config.brokerDeadlineMs)
              : { ...DEFAULT_WORKER_SETTINGS, ...options.settings },
        },
        { provide: WORKER_CLOCK, useValue: options.clock ?? SYSTEM_CLOCK },
      ],
      exports: [WORKER_SETTINGS, WORKER_CLOCK],
    };
  }
}
