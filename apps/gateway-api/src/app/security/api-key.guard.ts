import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import type { ApiKeyScope } from './api-key-scope';
import { ApiKeyService } from './api-key.service';
import { PRINCIPAL_REQUEST_KEY, PUBLIC_ROUTE_METADATA, REQUIRED_SCOPE_METADATA } from './route-access.decorators';

/**
 * Global guard (APP_GUARD): every route needs an API key in X-API-Key with the route's scope unless it is
 * marked @PublicRoute(). A route that declares neither needs `admin`: forgetting the decorator fails closed.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE_METADATA, targets)) return true;
    const scope = this.reflector.getAllAndOverride<ApiKeyScope>(REQUIRED_SCOPE_METADATA, targets) ?? 'admin';
    const request = context.switchToHttp().getRequest<IncomingMessage>();
    const principal = await this.apiKeys.authorize(request.headers['x-api-key'], scope);
    (request as unknown as Record<string, unknown>)[PRINCIPAL_REQUEST_KEY] = principal;
    return true;
  }
}
