import { BrokerUnavailableError, FailSafeCode, Quote, SymbolNotFoundError } from '@qts/broker-domain';
import { asRecord, scalarText } from '../http/json-fields';
import type { RestBrokerClient, RestCall } from '../http/rest-call';
import { readRest } from '../http/rest-read';
import type { RestResponse } from '../http/rest-response';
import { MalformedAnswerError } from './malformed-answer-error';
import type { BestPrices, PriceSnapshot } from './price-snapshot';
import { readRefusalError } from './read-refusal';

/** A broker's refusal of an inquiry, as its envelope states it. */
export interface InquiryRefusal {
  /** The code a refusal is known by (KIS msg_cd, the bracketed Kiwoom message code). */
  brokerCode: string;
  failSafe: FailSafeCode;
}

/**
 * How a broker wraps every inquiry answer: a JSON object whose result field is "0" when the broker answered,
 * anything else being a refusal the broker explains in its own fields.
 */
export interface InquiryEnvelope {
  /** 'KIS' or 'Kiwoom', as errors name the broker. */
  brokerName: string;
  method: RestCall['method'];
  /** KIS rt_cd, Kiwoom return_code. */
  resultField: string;
  /** The broker's explanation of a refusal: KIS msg1, Kiwoom return_msg. */
  messageField: string;
  /** The code and classification of an answer whose result is not "0". */
  refusalOf(record: Record<string, unknown>, resultCode: string, message: string, httpStatus: number): InquiryRefusal;
  /** The broker codes with which it says a symbol does not exist. */
  symbolNotFoundCodes: ReadonlySet<string>;
}

/** How a REST broker gateway reaches its broker for inquiries. */
export interface RestInquiryConnection {
  client: RestBrokerClient;
  /** Bound on the pages of one inquiry; more fails rather than answering partly. Default 200. */
  maxPages?: number;
}

/** One inquiry of a quote and the parser of its answer. */
export interface QuoteInquiry<T> {
  call: Omit<RestCall, 'method'>;
  parse: (record: Record<string, unknown>) => T;
}

export interface RestInquiryReaderOptions extends RestInquiryConnection {
  brokerId: string;
  envelope: InquiryEnvelope;
}

const DEFAULT_MAX_PAGES = 200;

/**
 * Market-data and account inquiries of one broker connection: the envelope is checked here, the answer's
 * contents are read by the caller's parser, and every failure becomes the domain error of a read.
 */
export class RestInquiryReader {
  private readonly brokerId: string;
  private readonly client: RestBrokerClient;
  private readonly envelope: InquiryEnvelope;
  private readonly maxPages: number;

  constructor(options: RestInquiryReaderOptions) {
    this.brokerId = options.brokerId;
    this.client = options.client;
    this.envelope = options.envelope;
    this.maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  }

  /**
   * One inquiry: an accepted answer is read by `parse` (a MalformedAnswerError makes the answer unreadable);
   * a refusal becomes SymbolNotFoundError (about `symbol`), RateLimitExceededError, AuthenticationError or
   * BrokerUnavailableError.
   */
  read<T>(
    call: Omit<RestCall, 'method'>,
    what: string,
    parse: (record: Record<string, unknown>, response: RestResponse) => T,
    symbol?: string,
  ): Promise<T> {
    const { brokerId, envelope } = this;
    return readRest(
      brokerId,
      what,
      () => this.client.send({ ...call, method: envelope.method }),
      (response) => {
        const record = asRecord(response.body);
        const resultCode = scalarText(record?.[envelope.resultField])?.trim();
        if (record === undefined || resultCode === undefined || resultCode === '') {
          return {
            kind: 'unreadable',
            reason: record === undefined ? 'body is not a JSON object' : `${envelope.resultField} missing`,
          };
        }
        if (resultCode !== '0') {
          const message = (scalarText(record[envelope.messageField]) ?? '').trim();
          const refusal = envelope.refusalOf(record, resultCode, message, response.status);
          return {
            kind: 'refused',
            error: readRefusalError({
              brokerId,
              brokerName: envelope.brokerName,
              message,
              ...refusal,
              symbolNotFound: envelope.symbolNotFoundCodes.has(refusal.brokerCode),
              ...(symbol === undefined ? {} : { symbol }),
            }),
          };
        }
        try {
          return { kind: 'ok', value: parse(record, response) };
        } catch (error) {
          if (error instanceof MalformedAnswerError) {
            return { kind: 'unreadable', reason: error.message };
          }
          throw error;
        }
      },
    );
  }

  /**
   * The quote of `symbol` from two inquiries, the price and the order book (the broker's price inquiry alone
   * has no book); a price inquiry answered without a price is SymbolNotFoundError. The quote is stamped with
   * `clock` once both answers are in.
   */
  async readQuote(
    symbol: string,
    price: QuoteInquiry<PriceSnapshot | undefined>,
    book: QuoteInquiry<BestPrices>,
    clock: () => Date,
  ): Promise<Quote> {
    const snapshot = await this.read(price.call, `price of ${symbol}`, price.parse, symbol);
    if (snapshot === undefined) {
      throw new SymbolNotFoundError(`symbol '${symbol}' is not listed at ${this.envelope.brokerName}`, {
        details: { brokerId: this.brokerId, symbol },
      });
    }
    const best = await this.read(book.call, `order book of ${symbol}`, book.parse, symbol);
    return new Quote({ symbol, ...snapshot, ...best, timestamp: clock() });
  }

  /** Throws once `page` pages of one inquiry have been read and the broker still says more follow. */
  requirePageBudget(page: number, what: string): void {
    if (page >= this.maxPages) {
      throw new BrokerUnavailableError(
        `${this.brokerId}: the ${this.envelope.brokerName} answer for ${what} has more than ${this.maxPages} pages`,
        { details: { brokerId: this.brokerId } },
      );
    }
  }
}
