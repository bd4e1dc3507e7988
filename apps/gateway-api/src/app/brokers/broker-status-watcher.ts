import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ConnectionStatus, type ConnectionStatusEvent } from '@qts/broker-domain';
import { BrokerStatusFeed } from '@qts/broker-transport';
import { OfflineModeTracker } from './offline-mode-tracker';

export type BrokerStatusListener = (event: ConnectionStatusEvent) => void;

/**
 * Fans the status changes of every broker (JTS and REST) out to the gateway (gRPC health, offline mode). A broker
 * whose connection is back (CONNECTED or DEGRADED) leaves offline mode at once.
 */
@Injectable()
export class BrokerStatusWatcher implements OnModuleInit, OnApplicationShutdown {
  private readonly listeners = new Set<BrokerStatusListener>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly feed: BrokerStatusFeed,
    private readonly offline: OfflineModeTracker,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.feed.onStatusChange((event) => {
      if (event.current === ConnectionStatus.CONNECTED || event.current === ConnectionStatus.DEGRADED) {
        this.offline.markOnline(event.brokerId);
      }
      for (const listener of this.listeners) listener(event);
    });
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    this.listeners.clear();
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: BrokerStatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
