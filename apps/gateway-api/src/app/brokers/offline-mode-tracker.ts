import { Injectable } from '@nestjs/common';

/**
 * Which brokers are in offline mode: their candles were last served from the cache because the broker was
 * unavailable. A broker leaves offline mode with its next successful call or when its connection is back.
 */
@Injectable()
export class OfflineModeTracker {
  private readonly offline = new Set<string>();

  markOffline(brokerId: string): void {
    this.offline.add(brokerId);
  }

  markOnline(brokerId: string): void {
    this.offline.delete(brokerId);
  }

  isOffline(brokerId: string): boolean {
    return this.offline.has(brokerId);
  }
}
