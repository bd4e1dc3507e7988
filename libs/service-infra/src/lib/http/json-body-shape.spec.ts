import { RequestValidationError } from '../errors/platform-errors';
import { assertSafeJsonShape, MAX_JSON_DEPTH } from './json-body-shape';

function nested(levels: number, open: string, close: string, leaf = '1'): unknown {
  return JSON.parse(open.repeat(levels) + leaf + close.repeat(levels));
}

describe('assertSafeJsonShape', () => {
  it(`accepts bodies nested up to ${MAX_JSON_DEPTH} levels and scalars`, () => {
    expect(() => assertSafeJsonShape(nested(MAX_JSON_DEPTH, '{"a":', '}'), 'body')).not.toThrow();
    expect(() => assertSafeJsonShape({ symbol: '005930', scopes: ['read'] }, 'body')).not.toThrow();
    for (const scalar of [undefined, null, 'text', 7]) expect(() => assertSafeJsonShape(scalar, 'body')).not.toThrow();
  });

  it.each([
    ['objects', '{"a":', '}'],
    ['arrays', '[', ']'],
  ])('refuses %s nested deeper, however deep, without overflowing the stack', (_kind, open, close) => {
    for (const levels of [MAX_JSON_DEPTH + 1, 100_000]) {
      const check = () => assertSafeJsonShape(nested(levels, open, close), 'body');
      expect(check).toThrow(RequestValidationError);
      expect(check).toThrow(`body is nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s at any level, naming it', (key) => {
    expect(() => assertSafeJsonShape(JSON.parse(`{"${key}":{"admin":true}}`), 'body')).toThrow(`body must not contain the key '${key}'`);
    expect(() => assertSafeJsonShape(JSON.parse(`{"a":[{"b":{"${key}":1}}]}`), 'query')).toThrow(`query must not contain the key '${key}'`);
  });
});
