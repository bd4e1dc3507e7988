import { Inject, Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { join } from 'node:path';
import { ConfigValidationError } from './config-validation-error';
import type { PlatformConfig } from './platform-config';
import { PLATFORM_CONFIG, PlatformConfigModule } from './platform-config.module';

@Injectable()
class NeedsConfig {
  constructor(@Inject(PLATFORM_CONFIG) readonly config: PlatformConfig) {}
}

describe('PlatformConfigModule', () => {
  const repoRoot = join(__dirname, '../../../..');

  it('provides the validated configuration under its token', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [PlatformConfigModule.forRoot({ env: { GATEWAY_HTTP_PORT: '4000' }, cwd: repoRoot })],
      providers: [NeedsConfig],
    }).compile();
    const config = moduleRef.get(NeedsConfig).config;
    expect(config.gateway.httpPort).toBe(4000);
    expect(config.brokers[0]?.id).toBe('kis');
  });

  it('fails the module build when the configuration is invalid', async () => {
    await expect(
      Test.createTestingModule({
        imports: [PlatformConfigModule.forRoot({ env: { LOG_LEVEL: 'loud' }, cwd: repoRoot })],
      }).compile(),
    ).rejects.toBeInstanceOf(ConfigValidationError);
  });

  it('uses a configuration handed in by tests as is', async () => {
    const given = { gateway: { httpPort: 1 } } as PlatformConfig;
    const moduleRef = await Test.createTestingModule({
      imports: [PlatformConfigModule.forRoot({ config: given })],
    }).compile();
    expect(moduleRef.get(PLATFORM_CONFIG)).toBe(given);
  });
});
