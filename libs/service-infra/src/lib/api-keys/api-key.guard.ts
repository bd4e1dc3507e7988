import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Metadata } from '@grpc/grpc-js';
import type { IncomingMessage } from 'node:http';
import { InsufficientScopeError } from '../errors/platform-errors';
import type { ApiKeyScope } from './api-key-scope';
import { API_KEY_VERIFIER, type ApiKeyVerifier } from './api-key-verifier';
import type { ApiPrincipal } from './api-principal';
import { API_KEY_HEADER, earlyAuthenticationOf } from './authenticate-before-body';
import { attachPrincipal, PUBLIC_ROUTE_METADATA, REQUIRED_SCOPE_METADATA } from './route-access.decorators';

/**
 * Global guard (APP_GUARD) of HTTP routes and gRPC methods: an API key with the declared scope, unless the
 * handler or its class is marked @PublicRoute(). A handler that declares neither needs `admin`: forgetting the
 * decorator fails closed.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEY_VERIFIER) private readonly verifier: ApiKeyVerifier,
  ) {}

  /** The access rule of each handler, read from its decorators once. */
  private readonly rules = new WeakMap<object, ApiKeyScope | 'public'>();

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const scope = this.ruleOf(context);
    if (scope === 'public') return true;
    const principal = await this.authenticate(context);
    if (!principal.scopes.has(scope)) throw new InsufficientScopeError(scope);
    attachPrincipal(context, principal);
    return true;
  }

  /** The caller: found before the body was read (requests with a body), or now. */
  private async authenticate(context: ExecutionContext): Promise<ApiPrincipal> {
    if (context.getType() === 'http') {
      const early = earlyAuthenticationOf(context.switchToHttp().getRequest<IncomingMessage>());
      if (early !== undefined) {
        if ('principal' in early) return early.principal;
        throw early.refusal;
      }
    }
    return this.verifier.authenticate(presentedKey(context));
  }

  private ruleOf(context: ExecutionContext): ApiKeyScope | 'public' {
    const handler = context.getHandler();
    let rule = this.rules.get(handler);
    if (rule === undefined) {
      const targets = [handler, context.getClass()];
      rule = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE_METADATA, targets)
        ? 'public'
        : (this.reflector.getAllAndOverride<ApiKeyScope>(REQUIRED_SCOPE_METADATA, targets) ?? 'admin');
      this.rules.set(handler, rule);
    }
    return rule;
  }
}

function presentedKey(context: ExecutionContext): unknown {
  if (context.getType() === 'rpc') {
    const values = context.switchToRpc().getContext<Metadata>().get(API_KEY_HEADER);
    const texts = values.map((value) => (typeof value === 'string' ? value : value.toString('utf8')));
    // Several keys in one call are refused as invalid rather than picking one.
    return texts.length <= 1 ? texts[0] : texts;
  }
  return context.switchToHttp().getRequest<IncomingMessage>().headers[API_KEY_HEADER];
}
