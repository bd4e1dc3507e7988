import { jtsV1 } from '@qts/grpc-contracts';
import { WIRE_ORDER, WIRE_QUOTE, wireCandle } from '../../../test/scripted-jts-server';
import {
  balanceFromWire,
  candleFromWire,
  orderFromWire,
  positionFromWire,
  quoteFromWire,
  symbolFromWire,
} from './jts-response-mapping';
import { MalformedResponseError } from './malformed-response-error';

const BALANCE: jtsV1.BalanceResponse = {
  accountId: 'A-1',
  totalEquity: '100',
  cashBalance: '-5.25',
  buyingPower: '0',
  currency: '',
};

const POSITION: jtsV1.Position = {
  accountId: 'A-1',
  symbol: '005930',
  symbolName: '삼성전자',
  quantity: 3,
  avgPrice: '0',
  currentPrice: '71500',
  marketValue: 'ignored',
  unrealizedPnl: 'ignored',
  unrealizedPnlPct: 'ignored',
};

describe('jts.v1 responses -> domain entities', () => {
  it('a balance without currency is KRW; a negative cash balance is kept', () => {
    const balance = balanceFromWire(BALANCE);

    expect(balance.currency).toBe('KRW');
    expect(balance.cashBalance.toFixed()).toBe('-5.25');
  });

  it('refuses a balance in another currency', () => {
    expect(() => balanceFromWire({ ...BALANCE, currency: 'USD' })).toThrow(/balance\.currency/);
  });

  it('computes position values itself and ignores the derived wire fields', () => {
    const position = positionFromWire(POSITION);

    expect(position.marketValue.toFixed()).toBe('214500');
    expect(position.unrealizedPnlPct.toFixed()).toBe('0');
  });

  it.each([
    ['symbol', () => symbolFromWire({ code: '5930', name: 'x', market: jtsV1.Market.KOSPI, sector: '' }), 'symbol.code'],
    ['symbol', () => symbolFromWire({ code: '005930', name: '', market: jtsV1.Market.KOSPI, sector: '' }), 'symbol.name'],
    ['candle', () => candleFromWire(wireCandle(0, { low: '0' })), 'candle.low'],
    ['candle', () => candleFromWire(wireCandle(0, { volume: -1 })), 'candle.volume'],
    ['quote', () => quoteFromWire({ ...WIRE_QUOTE, price: '' }), 'quote.price'],
    ['quote', () => quoteFromWire({ ...WIRE_QUOTE, timestamp: 'now' }), 'quote.timestamp'],
    ['position', () => positionFromWire({ ...POSITION, avgPrice: '-1' }), 'position.avgPrice'],
    ['order', () => orderFromWire({ ...WIRE_ORDER, orderId: '' }, 'kis'), 'order.orderId'],
    ['order', () => orderFromWire({ ...WIRE_ORDER, price: '' }, 'kis'), 'order.price'],
    ['order', () => orderFromWire({ ...WIRE_ORDER, filledQuantity: 11 }, 'kis'), 'order.filledQuantity'],
    ['order', () => orderFromWire({ ...WIRE_ORDER, createdAt: '' }, 'kis'), 'order.createdAt'],
    ['order', () => orderFromWire(undefined, 'kis'), 'order'],
  ])('a broken %s names the field (%s)', (_entity, map, field) => {
    let error: unknown;
    try {
      map();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as MalformedResponseError).field).toBe(field);
  });

  it('ignores an echoed price on a MARKET order', () => {
    const order = orderFromWire({ ...WIRE_ORDER, orderType: jtsV1.OrderType.MARKET, price: '0' }, 'kis');

    expect(order.price).toBeUndefined();
  });

  it('lets unexpected errors through unchanged', () => {
    const poisoned = {
      ...WIRE_ORDER,
      get accountId(): string {
        throw new RangeError('boom');
      },
    };

    expect(() => orderFromWire(poisoned, 'kis')).toThrow(RangeError);
  });
});
