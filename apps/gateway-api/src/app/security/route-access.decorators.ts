import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { ApiKeyScope } from './api-key-scope';
import type { ApiPrincipal } from './api-principal';

export const REQUIRED_SCOPE_METADATA = Symbol('qts:required-scope');
export const PUBLIC_ROUTE_METADATA = Symbol('qts:public-route');

/** The route needs an API key with this scope. */
export const RequireScope = (scope: ApiKeyScope): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_SCOPE_METADATA, scope);

/** The route needs no API key (health, metrics, dashboard: they show no secrets). */
export const PublicRoute = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE_METADATA, true);

/** The request property the guard stores the caller under. */
export const PRINCIPAL_REQUEST_KEY = 'qtsPrincipal';

/** The authenticated caller of the route. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): ApiPrincipal => {
  const request = context.switchToHttp().getRequest<Record<string, unknown>>();
  return request[PRINCIPAL_REQUEST_KEY] as ApiPrincipal;
});
