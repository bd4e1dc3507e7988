import { parseQuantity } from './quantity';

describe('parseQuantity', () => {
  it('reads binary, decimal and milli suffixes', () => {
    expect(parseQuantity('512Mi')).toBe(512 * 2 ** 20);
    expect(parseQuantity('1Gi')).toBe(2 ** 30);
    expect(parseQuantity('250m')).toBe(0.25);
    expect(parseQuantity('1')).toBe(1);
    expect(parseQuantity('1.5G')).toBe(1.5e9);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity(2)).toBe(2);
  });

  it('refuses what is not a quantity', () => {
    expect(() => parseQuantity('512MB')).toThrow("not a Kubernetes quantity: '512MB'");
    expect(() => parseQuantity('lots')).toThrow();
  });
});
