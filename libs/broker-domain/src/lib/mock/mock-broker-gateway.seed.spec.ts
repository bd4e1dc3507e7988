import { Candle } from '../entities/candle';
import { MockBrokerGateway } from './mock-broker-gateway';

// The acceptance tests of the original design (epic E03, section 9.2), kept as written there.
describe('MockBrokerGateway (seed acceptance tests)', () => {
  const gateway = new MockBrokerGateway();

  it('returns daily candles for 005930 in January 2024', async () => {
    const candles = await gateway.getCandles('005930', '1d', new Date(2024, 0, 1), new Date(2024, 0, 31));
    expect(candles.length).toBeGreaterThan(0);
    expect(candles.every((candle) => candle instanceof Candle)).toBe(true);
  });

  it('returns mock balance data for MOCK-001', async () => {
    const balance = await gateway.getBalance('MOCK-001');
    expect(balance.totalEquity.greaterThan(0)).toBe(true);
    expect(balance.cashBalance.greaterThan(0)).toBe(true);
  });
});
