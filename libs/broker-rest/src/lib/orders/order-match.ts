import { OrderSide, OrderType, PlacedOrderDescription } from '@qts/broker-domain';
import type { BrokerOrderRow } from './broker-order-row';

/**
 * How far from the moment an order was sent its broker-side order time may lie and still match: `beforeMs`
 * covers clock skew between this host and the broker, `afterMs` a request held up on its way (a stalled
 * connection, a broker queue) before the broker stamped it.
 */
export interface ReconciliationWindow {
  beforeMs: number;
  afterMs: number;
}

export const DEFAULT_RECONCILIATION_WINDOW: Readonly<ReconciliationWindow> = Object.freeze({
  beforeMs: 10_000,
  afterMs: 120_000,
});

export type OrderMatch<TRow extends BrokerOrderRow> =
  | { kind: 'none' }
  | { kind: 'matched'; row: TRow }
  | { kind: 'ambiguous'; candidates: TRow[] };

/**
 * The reconciliation rule for brokers without a client order id. An order whose outcome is unknown is the
 * broker order that
 * - is an original order (not the row of a cancel or an amendment),
 * - was placed in the same account (the inquiry is per account),
 * - has the same symbol, side and quantity,
 * - has the same price: the limit price for a LIMIT order; no price (or 0) or a market order type for MARKET,
 * - was stamped by the broker within [sentAt - beforeMs, sentAt + afterMs] (a row without a readable time
 *   cannot be ruled out and stays a candidate),
 * - and is not already the order of another clientOrderId (`claimed`).
 * Exactly one such order: matched. None: the order is not at the broker. Two or more: ambiguous, and the
 * order must be settled by an operator; it is never re-sent.
 */
export function matchPlacedOrder<TRow extends BrokerOrderRow>(
  placed: PlacedOrderDescription,
  rows: readonly TRow[],
  claimed: (orderNo: string) => boolean,
  window: ReconciliationWindow = DEFAULT_RECONCILIATION_WINDOW,
): OrderMatch<TRow> {
  const from = placed.sentAt.getTime() - window.beforeMs;
  const to = placed.sentAt.getTime() + window.afterMs;
  const candidates = rows.filter(
    (row) =>
      row.originalOrderNo === undefined &&
      row.symbol === placed.symbol &&
      sideMatches(row, placed.side) &&
      row.quantity === placed.quantity &&
      priceMatches(row, placed) &&
      (row.orderedAt === undefined || (row.orderedAt.getTime() >= from && row.orderedAt.getTime() <= to)) &&
      !claimed(row.orderNo),
  );
  if (candidates.length === 0) {
    return { kind: 'none' };
  }
  if (candidates.length === 1) {
    return { kind: 'matched', row: candidates[0] };
  }
  return { kind: 'ambiguous', candidates };
}

function sideMatches(row: BrokerOrderRow, side: OrderSide): boolean {
  // A row whose side cannot be read cannot be ruled out.
  return row.side === undefined || row.side === side;
}

function priceMatches(row: BrokerOrderRow, placed: PlacedOrderDescription): boolean {
  if (placed.orderType === OrderType.MARKET) {
    if (row.orderType !== undefined) {
      return row.orderType === OrderType.MARKET;
    }
    return row.price === undefined || row.price.isZero();
  }
  if (row.orderType === OrderType.MARKET || row.price === undefined || placed.price === undefined) {
    return false;
  }
  return row.price.equals(placed.price);
}
