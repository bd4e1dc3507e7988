import { AccountType } from './account-type';
import { BROKER_OPERATIONS, isBrokerOperation } from './broker-operation';
import { BrokerType } from './broker-type';
import { ConnectionStatus } from './connection-status';
import { Market } from './market';
import { isFinalOrderStatus, OrderStatus } from './order-status';
import { OrderSide } from './order-side';
import { OrderType } from './order-type';
import { isIntradayTimeframe, isTimeframe, TIMEFRAMES, timeframeDurationMs } from './timeframe';

describe('string enums', () => {
  it.each([
    ['BrokerType', BrokerType, ['KIS', 'CREON', 'KIWOOM']],
    ['AccountType', AccountType, ['REAL', 'PAPER']],
    ['OrderSide', OrderSide, ['BUY', 'SELL']],
    ['OrderType', OrderType, ['MARKET', 'LIMIT']],
    [
      'OrderStatus',
      OrderStatus,
      ['PENDING', 'ACCEPTED', 'PARTIAL', 'FILLED', 'CANCELLED', 'REJECTED', 'UNKNOWN'],
    ],
    ['Market', Market, ['KOSPI', 'KOSDAQ']],
    ['ConnectionStatus', ConnectionStatus, ['CONNECTING', 'CONNECTED', 'DEGRADED', 'DISCONNECTED']],
  ])('%s has exactly the wire values, each equal to its name', (_name, enumObject, values) => {
    expect(Object.keys(enumObject)).toEqual(values);
    expect(Object.values(enumObject)).toEqual(values);
  });
});

describe('isFinalOrderStatus', () => {
  it('is true exactly for FILLED, CANCELLED and REJECTED', () => {
    const finals = Object.values(OrderStatus).filter(isFinalOrderStatus);
    expect(finals).toEqual([OrderStatus.FILLED, OrderStatus.CANCELLED, OrderStatus.REJECTED]);
  });
});

describe('timeframes', () => {
  it('lists the seven supported timeframes in ascending length', () => {
    expect(TIMEFRAMES).toEqual(['1m', '5m', '15m', '30m', '60m', '1d', '1w']);
    const durations = TIMEFRAMES.map(timeframeDurationMs);
    expect([...durations].sort((a, b) => a - b)).toEqual(durations);
  });

  it('gives nominal durations, one day and one week for 1d and 1w', () => {
    expect(timeframeDurationMs('1m')).toBe(60_000);
    expect(timeframeDurationMs('5m')).toBe(300_000);
    expect(timeframeDurationMs('15m')).toBe(900_000);
    expect(timeframeDurationMs('30m')).toBe(1_800_000);
    expect(timeframeDurationMs('60m')).toBe(3_600_000);
    expect(timeframeDurationMs('1d')).toBe(86_400_000);
    expect(timeframeDurationMs('1w')).toBe(604_800_000);
  });

  it('recognises only the supported names', () => {
    for (const timeframe of TIMEFRAMES) {
      expect(isTimeframe(timeframe)).toBe(true);
    }
    for (const other of ['1h', '1M', '', 'toString', '__proto__', '2m', '1D']) {
      expect(isTimeframe(other)).toBe(false);
    }
  });

  it('marks only sub-daily timeframes as intraday', () => {
    expect(TIMEFRAMES.filter(isIntradayTimeframe)).toEqual(['1m', '5m', '15m', '30m', '60m']);
  });

  it('cannot be mutated by a consumer', () => {
    expect(Object.isFrozen(TIMEFRAMES)).toBe(true);
  });
});

describe('broker operations', () => {
  it('lists every gateway operation a rate-limit rule can name', () => {
    expect(BROKER_OPERATIONS).toEqual([
      'getSymbols',
      'getCandles',
      'getQuote',
      'streamQuotes',
      'getBalance',
      'getPositions',
      'placeOrder',
      'cancelOrder',
      'getOrderStatus',
    ]);
    expect(BROKER_OPERATIONS.every(isBrokerOperation)).toBe(true);
    expect(isBrokerOperation('deleteAccount')).toBe(false);
  });
});
