import { Decimal } from '@qts/broker-domain';
import { positionsOfHoldings, readHoldingRows } from './broker-holding';

const FIELDS = { symbol: 'code', name: 'label', quantity: 'qty', avgPrice: 'avg', currentPrice: 'now' };

describe('readHoldingRows', () => {
  it('reads held rows, skips empty ones and falls back to the code and a zero average', () => {
    const holdings = readHoldingRows(
      [
        { code: ' A005930 ', label: ' 삼성전자 ', qty: '10', avg: '70000', now: '-70100' },
        { code: '000660', label: '', qty: '+3', now: '120000' },
        { code: '035720', label: 'kakao', qty: '0', avg: '50000', now: '50000' },
        { code: '', label: 'no code', qty: '5', now: '1' },
      ],
      FIELDS,
      (code) => code.replace(/^A/, ''),
    );

    expect(holdings).toEqual([
      { symbol: '005930', name: '삼성전자', quantity: 10, avgPrice: new Decimal(70000), currentPrice: new Decimal(70100) },
      { symbol: '000660', name: '000660', quantity: 3, avgPrice: new Decimal(0), currentPrice: new Decimal(120000) },
    ]);
  });

  it('makes a held row without a current price an unreadable answer', () => {
    expect(() => readHoldingRows([{ code: '005930', qty: '1', now: '' }], FIELDS)).toThrow('now is not a price');
  });

  it('turns holdings into positions of the account', () => {
    const [position] = positionsOfHoldings('acc-1', [
      { symbol: '005930', name: '삼성전자', quantity: 10, avgPrice: new Decimal(70000), currentPrice: new Decimal(70100) },
    ]);

    expect(position).toMatchObject({ accountId: 'acc-1', symbol: '005930', symbolName: '삼성전자', quantity: 10 });
    expect(position.avgPrice).toEqual(new Decimal(70000));
    expect(position.currentPrice).toEqual(new Decimal(70100));
  });
});
