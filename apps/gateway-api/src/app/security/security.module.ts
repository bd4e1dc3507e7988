import { Module } from '@nestjs/common';
import { ApiKeyAuthModule } from '@qts/service-infra';
import { AdminApiKeysController } from './admin-api-keys.controller';
import { ApiKeyService } from './api-key.service';

/** API keys stored hashed in the database; they authenticate every REST route and gRPC method. */
@Module({
  imports: [ApiKeyAuthModule.forRoot({ verifier: ApiKeyService })],
  controllers: [AdminApiKeysController],
  exports: [ApiKeyAuthModule],
})
export class SecurityModule {}
