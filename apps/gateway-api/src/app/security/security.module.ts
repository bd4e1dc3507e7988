import { Module } from '@nestjs/common';
import { ApiKeyAuthModule } from '@qts/service-infra';
import { API_KEY_SECURITY_SCHEME, API_PREFIX } from '../rest/api-prefix';

/**
 * API keys stored hashed in the gateway's database (the kit's key store): they authenticate every REST route and
 * gRPC method. Scopes read, trade, admin; gateway keys are not bound to strategies (those are the worker's).
 */
@Module({
  imports: [
    ApiKeyAuthModule.forRoot({
      store: {
        scopes: ['read', 'trade', 'admin'],
        strategyBinding: 'none',
        adminPath: `${API_PREFIX}/admin/api-keys`,
        openApiSecurityScheme: API_KEY_SECURITY_SCHEME,
      },
    }),
  ],
  exports: [ApiKeyAuthModule],
})
export class SecurityModule {}
