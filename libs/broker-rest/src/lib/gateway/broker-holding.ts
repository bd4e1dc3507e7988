import { Decimal, Position } from '@qts/broker-domain';
import { countField, priceField, scalarText } from '../http/json-fields';
import { requiredPrice } from './required-answer-fields';

/** One holding of the account as a broker's balance inquiry lists it. */
export interface BrokerHolding {
  symbol: string;
  name: string;
  quantity: number;
  avgPrice: Decimal;
  currentPrice: Decimal;
}

/** The broker's field name of each part of a BrokerHolding. */
export type HoldingFields = { readonly [K in keyof BrokerHolding]: string };

/**
 * The holdings of balance rows: rows without shares or without a code are skipped, a missing name is the
 * code, a missing average price zero. `symbolOf` turns the broker's code text into a KRX code.
 */
export function readHoldingRows(
  rows: readonly Record<string, unknown>[],
  fields: HoldingFields,
  symbolOf: (text: string) => string = (text) => text,
): BrokerHolding[] {
  const holdings: BrokerHolding[] = [];
  for (const row of rows) {
    const quantity = countField(row[fields.quantity]) ?? 0;
    const symbol = symbolOf((scalarText(row[fields.symbol]) ?? '').trim());
    if (quantity === 0 || symbol === '') {
      continue;
    }
    holdings.push({
      symbol,
      name: (scalarText(row[fields.name]) ?? symbol).trim() || symbol,
      quantity,
      avgPrice: priceField(row[fields.avgPrice]) ?? new Decimal(0),
      currentPrice: requiredPrice(row, fields.currentPrice),
    });
  }
  return holdings;
}

/** The Positions of `accountId` that the holdings are. */
export function positionsOfHoldings(accountId: string, holdings: readonly BrokerHolding[]): Position[] {
  return holdings.map(
    (holding) =>
      new Position({
        accountId,
        symbol: holding.symbol,
        symbolName: holding.name,
        quantity: holding.quantity,
        avgPrice: holding.avgPrice,
        currentPrice: holding.currentPrice,
      }),
  );
}
