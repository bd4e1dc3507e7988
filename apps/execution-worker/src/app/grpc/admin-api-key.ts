import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PLATFORM_CONFIG, type PlatformConfig } from '@qts/platform-config';

export type AdminKeyVerdict = 'granted' | 'missing' | 'invalid' | 'disabled';

/**
 * Checks the admin key (ADMIN_API_KEY) presented in gRPC metadata `x-api-key` or the HTTP header `X-API-Key`.
 * Only a digest of the key is kept, and digests are compared in constant time. Without ADMIN_API_KEY every admin
 * call is refused.
 */
@Injectable()
export class AdminApiKey {
  private readonly digest: Buffer | undefined;

  constructor(@Inject(PLATFORM_CONFIG) config: PlatformConfig) {
    this.digest = config.adminApiKey === undefined ? undefined : sha256(config.adminApiKey);
  }

  verify(presented: string | undefined): AdminKeyVerdict {
    if (this.digest === undefined) return 'disabled';
    if (presented === undefined || presented.length === 0) return 'missing';
    return timingSafeEqual(sha256(presented), this.digest) ? 'granted' : 'invalid';
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
