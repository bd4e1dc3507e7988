import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { ApiKeyScope } from './api-key-scope';
import type { ApiPrincipal } from './api-principal';

export const REQUIRED_SCOPE_METADATA = Symbol('qts:required-scope');
export const PUBLIC_ROUTE_METADATA = Symbol('qts:public-route');

/** The route or gRPC method needs an API key with this scope. */
export const RequireScope = (scope: ApiKeyScope): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_SCOPE_METADATA, scope);

/** The route or gRPC method needs no API key (health, metrics, dashboard: they show no secrets). */
export const PublicRoute = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE_METADATA, true);

/** The request property the guard stores the caller under. */
const PRINCIPAL_REQUEST_KEY = 'qtsPrincipal';

/** Callers of gRPC calls, by the call's metadata object (it lives exactly as long as the call). */
const RPC_PRINCIPALS = new WeakMap<object, ApiPrincipal>();

/** Records the authenticated caller of the request or call in `context`. */
export function attachPrincipal(context: ExecutionContext, principal: ApiPrincipal): void {
  if (context.getType() === 'rpc') {
    RPC_PRINCIPALS.set(context.switchToRpc().getContext<object>(), principal);
  } else {
    context.switchToHttp().getRequest<Record<string, unknown>>()[PRINCIPAL_REQUEST_KEY] = principal;
  }
}

/** The authenticated caller of the route or gRPC method. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): ApiPrincipal | undefined =>
  context.getType() === 'rpc'
    ? RPC_PRINCIPALS.get(context.switchToRpc().getContext<object>())
    : (context.switchToHttp().getRequest<Record<string, unknown>>()[PRINCIPAL_REQUEST_KEY] as ApiPrincipal | undefined),
);
