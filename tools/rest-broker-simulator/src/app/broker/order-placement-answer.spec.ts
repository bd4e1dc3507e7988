import {
  Decimal,
  InsufficientFundsError,
  OrderRejectedError,
  OrderSide,
  OrderType,
  PlaceOrderCommand,
  SymbolNotFoundError,
} from '@qts/broker-domain';
import { json } from '../http/http-exchange';
import { OrderRefusalAnswers, placeOrderAnswer } from './order-placement-answer';
import type { LedgerEntry } from './simulated-order-ledger';

const BUY: PlaceOrderCommand = { accountId: 'acc-1', symbol: '005930', side: OrderSide.BUY, orderType: OrderType.LIMIT, quantity: 10, price: new Decimal(70000) };
const SELL: PlaceOrderCommand = { ...BUY, side: OrderSide.SELL };

const REFUSALS: OrderRefusalAnswers = {
  insufficientCash: json(200, { refused: 'cash' }),
  insufficientShares: json(200, { refused: 'shares' }),
  unknownSymbol: json(200, { refused: 'symbol' }),
  refused: (reason) => json(200, { refused: reason }),
};

const failingLedger = (error: unknown) => ({
  place: async (): Promise<LedgerEntry> => {
    throw error;
  },
});

describe('placeOrderAnswer', () => {
  it('answers with the entry the ledger placed', async () => {
    const placed: PlaceOrderCommand[] = [];
    const ledger = {
      place: async (command: PlaceOrderCommand): Promise<LedgerEntry> => {
        placed.push(command);
        return { orderNo: '0000117057', kind: 'order', ...command, orderedAt: new Date('2026-11-30T03:00:00Z') };
      },
    };

    const answer = await placeOrderAnswer(ledger, BUY, REFUSALS, (entry) => json(200, { ordered: entry.orderNo }));

    expect(answer).toEqual({ status: 200, body: { ordered: '0000117057' } });
    expect(placed).toEqual([BUY]);
  });

  it('words insufficient funds as missing cash for a buy and missing shares for a sell', async () => {
    const accepted = () => json(200, { ordered: true });

    expect(await placeOrderAnswer(failingLedger(new InsufficientFundsError()), BUY, REFUSALS, accepted)).toBe(REFUSALS.insufficientCash);
    expect(await placeOrderAnswer(failingLedger(new InsufficientFundsError()), SELL, REFUSALS, accepted)).toBe(REFUSALS.insufficientShares);
  });

  it('words an unknown symbol and any other broker refusal with its reason', async () => {
    const accepted = () => json(200, { ordered: true });

    expect(await placeOrderAnswer(failingLedger(new SymbolNotFoundError()), BUY, REFUSALS, accepted)).toBe(REFUSALS.unknownSymbol);
    expect(await placeOrderAnswer(failingLedger(new OrderRejectedError('market closed')), BUY, REFUSALS, accepted)).toEqual(
      json(200, { refused: 'market closed' }),
    );
  });

  it('lets an error that is not a broker refusal propagate', async () => {
    const bug = new TypeError('ledger bug');

    await expect(placeOrderAnswer(failingLedger(bug), BUY, REFUSALS, () => json(200, {}))).rejects.toBe(bug);
  });
});
