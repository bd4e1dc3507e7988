import { quoteCallerValue, QUOTED_VALUE_MAX_CHARS } from './caller-value';

describe('quoteCallerValue', () => {
  it('quotes short values whole', () => {
    expect(quoteCallerValue('intent-1')).toBe("'intent-1'");
    expect(quoteCallerValue('')).toBe("''");
  });

  it('cuts long values to a short prefix and says how long they were', () => {
    const quoted = quoteCallerValue('x'.repeat(70_000));
    expect(quoted).toBe(`'${'x'.repeat(QUOTED_VALUE_MAX_CHARS)}…' (70000 characters)`);
    expect(quoted.length).toBeLessThan(70);
  });

  it('escapes control characters and never splits a surrogate pair', () => {
    expect(quoteCallerValue('a\nb\u0000')).toBe("'a\\u000ab\\u0000'");
    expect(quoteCallerValue('😀'.repeat(40), 3)).toBe("'😀😀😀…' (80 characters)");
  });
});
