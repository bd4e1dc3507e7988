/**
 * The key under which intents are processed strictly in arrival order: one (broker, account, symbol). JSON keeps
 * ids that contain a separator character from colliding.
 */
export function orderingKey(intent: { brokerId: string; accountId: string; symbol: string }): string {
  return JSON.stringify([intent.brokerId, intent.accountId, intent.symbol]);
}
