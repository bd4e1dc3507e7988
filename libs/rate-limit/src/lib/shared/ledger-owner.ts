import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { SharedLedgerOwner } from './shared-rate-limit-ledger';

/** Default liveness of a process in a shared ledger: 5 heartbeats of 1 s. */
export const DEFAULT_OWNER_TTL_MS = 5_000;

/** A new owner identity for this process: host, pid and a random part (ids are never reused). */
export function createLedgerOwner(ownerTtlMs = DEFAULT_OWNER_TTL_MS): SharedLedgerOwner {
  const host =
    hostname()
      .replace(/[^A-Za-z0-9-]/g, '')
      .slice(0, 40) || 'host';
  return { ownerId: `${host}-${process.pid}-${randomBytes(4).toString('hex')}`, ownerTtlMs };
}
