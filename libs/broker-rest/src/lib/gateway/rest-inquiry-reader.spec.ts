import {
  AuthenticationError,
  BrokerUnavailableError,
  Decimal,
  FailSafeCode,
  RateLimitExceededError,
  SymbolNotFoundError,
} from '@qts/broker-domain';
import { ScriptedRestClient } from '../../../test/scripted-rest-client';
import { requiredPrice } from './required-answer-fields';
import { InquiryEnvelope, RestInquiryReader } from './rest-inquiry-reader';

/** A broker whose answers carry `result` / `text`, and whose refusals name their code in `code`. */
const ENVELOPE: InquiryEnvelope = {
  brokerName: 'Acme',
  method: 'POST',
  resultField: 'result',
  messageField: 'text',
  refusalOf(record, resultCode, message, httpStatus) {
    const brokerCode = String(record['code'] ?? resultCode);
    const failSafe = brokerCode === 'LIMIT' ? FailSafeCode.FS043 : brokerCode === 'KEY' ? FailSafeCode.FS045 : FailSafeCode.FS044;
    // The message is the envelope's messageField, read before the broker classifies the refusal.
    return { brokerCode: `${brokerCode}${httpStatus === 200 ? '' : `/${httpStatus}`}${message === 'tagged' ? '!' : ''}`, failSafe };
  },
  symbolNotFoundCodes: new Set(['NOSYM']),
};

const CALL = { operation: 'getQuote', path: '/price', apiId: 'P1', payload: { code: '005930' } } as const;
const BOOK_CALL = { operation: 'getQuote', path: '/book', apiId: 'B1', payload: { code: '005930' } } as const;

function aReader(client: ScriptedRestClient, maxPages?: number): RestInquiryReader {
  return new RestInquiryReader({ brokerId: 'acme-1', client, envelope: ENVELOPE, ...(maxPages === undefined ? {} : { maxPages }) });
}

const price = (record: Record<string, unknown>) => requiredPrice(record, 'px');

describe('RestInquiryReader', () => {
  it('sends with the envelope method and hands an accepted answer to the parser', async () => {
    const client = new ScriptedRestClient().answerJson({ result: '0', px: '70100' });

    await expect(aReader(client).read(CALL, 'price of 005930', price)).resolves.toEqual(new Decimal(70100));
    expect(client.calls).toEqual([expect.objectContaining({ method: 'POST', path: '/price', apiId: 'P1', payload: { code: '005930' } })]);
  });

  it('accepts a numeric result of zero, as brokers writing numbers send it', async () => {
    const client = new ScriptedRestClient().answerJson({ result: 0, px: '1' });

    await expect(aReader(client).read(CALL, 'price', price)).resolves.toEqual(new Decimal(1));
  });

  it.each([
    ['a body that is not an object', '"busy"', 'body is not a JSON object'],
    ['a missing result field', { px: '1' }, 'result missing'],
    ['a blank result field', { result: ' ', px: '1' }, 'result missing'],
    ['an unreadable field the parser needs', { result: '0', px: 'n/a' }, 'px is not a price'],
  ])('makes %s an unreadable answer naming the reason', async (_case, body, reason) => {
    const client = new ScriptedRestClient().answerJson(typeof body === 'string' ? JSON.parse(body) : body);

    const error = await aReader(client).read(CALL, 'price of 005930', price).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BrokerUnavailableError);
    expect((error as Error).message).toContain(reason);
    expect((error as Error).message).toContain('acme-1');
  });

  it('turns a refusal into the read error of its classification, with the broker code and message', async () => {
    const client = new ScriptedRestClient()
      .answerJson({ result: '1', code: 'LIMIT', text: ' too many ' })
      .answerJson({ result: '1', code: 'KEY', text: 'bad key' }, 401)
      .answerJson({ result: '7', text: 'down' })
      .answerJson({ result: '7', text: 'tagged' });
    const reader = aReader(client);

    const limited = await reader.read(CALL, 'price', price).catch((caught: unknown) => caught);
    expect(limited).toBeInstanceOf(RateLimitExceededError);
    expect((limited as Error).message).toBe('acme-1: Acme refused the inquiry [LIMIT] too many');
    const refusedKey = await reader.read(CALL, 'price', price).catch((caught: unknown) => caught);
    expect(refusedKey).toBeInstanceOf(AuthenticationError);
    expect((refusedKey as AuthenticationError).details).toMatchObject({ brokerId: 'acme-1', brokerCode: 'KEY/401' });
    const down = await reader.read(CALL, 'price', price).catch((caught: unknown) => caught);
    expect(down).toBeInstanceOf(BrokerUnavailableError);
    expect((down as Error).message).toContain('[7] down');
    const tagged = await reader.read(CALL, 'price', price).catch((caught: unknown) => caught);
    expect((tagged as BrokerUnavailableError).details).toMatchObject({ brokerCode: '7!' });
  });

  it("names the symbol when the broker's code says it does not exist", async () => {
    const client = new ScriptedRestClient().answerJson({ result: '1', code: 'NOSYM', text: 'no such code' });

    const error = await aReader(client).read(CALL, 'price', price, '123456').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SymbolNotFoundError);
    expect((error as SymbolNotFoundError).details).toMatchObject({ brokerCode: 'NOSYM', symbol: '123456' });
  });

  it('lets an error of the parser that is not about the answer propagate', async () => {
    const client = new ScriptedRestClient().answerJson({ result: '0' });
    const bug = new TypeError('parser bug');

    await expect(aReader(client).read(CALL, 'price', () => { throw bug; })).rejects.toBe(bug);
  });

  it('stops a paged inquiry after maxPages pages (200 by default)', () => {
    const reader = aReader(new ScriptedRestClient(), 3);

    expect(() => reader.requirePageBudget(2, 'balance')).not.toThrow();
    expect(() => reader.requirePageBudget(3, 'balance')).toThrow('acme-1: the Acme answer for balance has more than 3 pages');
    expect(() => aReader(new ScriptedRestClient()).requirePageBudget(199, 'balance')).not.toThrow();
    expect(() => aReader(new ScriptedRestClient()).requirePageBudget(200, 'balance')).toThrow(BrokerUnavailableError);
  });

  it('reads a quote from the price and the order book, stamped once both answered', async () => {
    const client = new ScriptedRestClient().answerJson({ result: '0', px: '70100' }).answerJson({ result: '0', bid: '70000' });
    const stamps = [new Date('2026-11-30T03:00:00Z'), new Date('2026-11-30T03:00:05Z')];
    const clock = jest.fn(() => stamps.shift() as Date);

    const quote = await aReader(client).readQuote(
      '005930',
      {
        call: CALL,
        parse: (record) => ({ price: requiredPrice(record, 'px'), change: new Decimal(-200), changeRate: new Decimal('-0.28'), volume: 12 }),
      },
      { call: BOOK_CALL, parse: (record) => ({ bid: requiredPrice(record, 'bid'), ask: new Decimal(70200), bidSize: 3, askSize: 4 }) },
      clock,
    );

    expect(client.calls.map((call) => call.path)).toEqual(['/price', '/book']);
    expect(quote).toMatchObject({ symbol: '005930', price: new Decimal(70100), bid: new Decimal(70000), ask: new Decimal(70200), volume: 12 });
    expect(quote.timestamp).toEqual(new Date('2026-11-30T03:00:00Z'));
    expect(clock).toHaveBeenCalledTimes(1);
  });

  it('answers a quote without a price as an unlisted symbol and skips the order book', async () => {
    const client = new ScriptedRestClient().answerJson({ result: '0' });

    const error = await aReader(client)
      .readQuote('123456', { call: CALL, parse: () => undefined }, { call: BOOK_CALL, parse: () => ({ bid: new Decimal(0), ask: new Decimal(0), bidSize: 0, askSize: 0 }) }, () => new Date())
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SymbolNotFoundError);
    expect((error as Error).message).toBe("symbol '123456' is not listed at Acme");
    expect(client.calls).toHaveLength(1);
  });
});
