import { MAX_ORDER_QUANTITY, ORDER_PRICE_PATTERN, orderQuantityProblem } from './order-limits';

describe('order limits', () => {
  it('accept quantities from 1 to MAX_ORDER_QUANTITY', () => {
    expect(orderQuantityProblem(1)).toBeUndefined();
    expect(orderQuantityProblem(MAX_ORDER_QUANTITY)).toBeUndefined();
  });

  it.each([
    [0, 'must be at least 1'],
    [-5, 'must be at least 1'],
    [MAX_ORDER_QUANTITY + 1, `must be at most ${MAX_ORDER_QUANTITY}`],
    [2.5, 'must be an integer number of shares'],
    ['10', 'must be an integer number of shares'],
    [Number.NaN, 'must be an integer number of shares'],
  ])('refuse %p: %s', (quantity, problem) => {
    expect(orderQuantityProblem(quantity)).toBe(problem);
  });

  it('write prices as plain decimals of bounded size', () => {
    for (const ok of ['70100', '0.5', '123456789012345.12345678']) expect(ORDER_PRICE_PATTERN.test(ok)).toBe(true);
    for (const bad of ['1234567890123456', '1.123456789', '-1', '1e5', '0x10', ' 1', '01', '']) {
      expect(ORDER_PRICE_PATTERN.test(bad)).toBe(false);
    }
  });
});
