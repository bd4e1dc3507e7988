import { StrategyNotPermittedError } from '../errors/platform-errors';
import type { ApiPrincipal } from './api-principal';

/** True when `principal` may act for `strategyId`: an admin key, or a key bound to that strategy. */
export function actsForStrategy(principal: ApiPrincipal | undefined, strategyId: string): boolean {
  if (principal === undefined) return false;
  return principal.strategies === 'all' || principal.strategies.has(strategyId);
}

/** Throws StrategyNotPermittedError (403 / PERMISSION_DENIED) unless `principal` acts for `strategyId`. */
export function requireStrategyAccess(principal: ApiPrincipal | undefined, strategyId: string): void {
  if (!actsForStrategy(principal, strategyId)) throw new StrategyNotPermittedError(strategyId);
}
