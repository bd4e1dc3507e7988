import { OrderSide, OrderType } from '@qts/broker-domain';
import { kstDate, kstDateDaysBefore } from '../http/kst-date';
import { PlacedOrderBook } from './placed-order-book';

const order = (clientOrderId: string) => ({
  clientOrderId,
  symbol: '005930',
  side: OrderSide.BUY,
  orderType: OrderType.LIMIT,
  quantity: 1,
  orderDate: '20250303',
});

describe('PlacedOrderBook', () => {
  it('follows an order from sending to accepted and finds it by either id', () => {
    const book = new PlacedOrderBook();
    book.begin(order('c-1'));
    expect(book.get('c-1')?.state).toBe('sending');

    book.accept('c-1', '0001', '91252', 'ok');

    expect(book.get('c-1')).toMatchObject({ state: 'accepted', orderId: '0001', branchNo: '91252' });
    expect(book.findByOrderId('0001')?.clientOrderId).toBe('c-1');
    expect(book.findByOrderId('0002')).toBeUndefined();
  });

  it('records refusals and unknown outcomes, and forgets requests that never left', () => {
    const book = new PlacedOrderBook();
    book.begin(order('r'));
    book.reject('r', 'no');
    book.begin(order('u'));
    book.markUnknown('u', 'timeout');
    book.begin(order('f'));
    book.forget('f');
    book.markUnknown('absent', 'ignored');

    expect(book.get('r')?.state).toBe('rejected');
    expect(book.get('u')?.state).toBe('unknown');
    expect(book.get('f')).toBeUndefined();
    expect(book.get('absent')).toBeUndefined();
  });

  it('evicts the oldest orders beyond its capacity', () => {
    const book = new PlacedOrderBook(2);
    book.begin(order('a'));
    book.accept('a', '1');
    book.begin(order('b'));
    book.begin(order('c'));

    expect(book.get('a')).toBeUndefined();
    expect(book.findByOrderId('1')).toBeUndefined();
    expect(book.get('b')).toBeDefined();
    expect(book.get('c')).toBeDefined();
  });
});

describe('kstDate', () => {
  it('gives the KST calendar date, which is a day ahead of UTC from 15:00 UTC', () => {
    expect(kstDate(new Date('2025-03-03T14:59:59Z'))).toBe('20250303');
    expect(kstDate(new Date('2025-03-03T15:00:00Z'))).toBe('20250304');
    expect(kstDateDaysBefore(new Date('2025-03-03T03:00:00Z'), 7)).toBe('20250224');
  });
});
