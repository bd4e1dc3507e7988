import { Controller, Get, Optional, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { QuoteJson } from '@qts/broker-domain';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeCandleCursor, encodeCandleCursor } from '../market-data/candle-page-cursor';
import { DEFAULT_CANDLE_PAGE_SIZE, parseCandleRange } from '../market-data/candle-range';
import { MarketDataService } from '../market-data/market-data.service';
import { ApiErrorResponses } from '@qts/service-infra';
import { BROKER_CALL_ERRORS } from './broker-call-errors';
import { RequireScope, ServiceShutdown } from '@qts/service-infra';
import { API_KEY_SECURITY_SCHEME, API_PREFIX } from './api-prefix';
import { CandlesQuery } from './dto/candles.query';
import { CandleListDoc, QuoteDoc } from './dto/market-data.views';
import { BrokerParams, SymbolParams } from './dto/route-params';
import { writeQuotesAsServerSentEvents } from './quote-event-stream';

export const DATA_SOURCE_HEADER = 'X-Data-Source';

@ApiTags('market data')
@ApiSecurity(API_KEY_SECURITY_SCHEME)
@RequireScope('read')
@Controller(`${API_PREFIX}/brokers`)
export class MarketDataController {
  constructor(
    private readonly marketData: MarketDataService,
    @Optional() private readonly shutdown?: ServiceShutdown,
  ) {}

  @Get(':brokerId/candles')
  @ApiOperation({
    summary: 'Candles of a symbol, oldest first, a page at a time',
    description:
      'A page holds at most `limit` bars counted in trading time (fewer on holidays); `nextCursor` is present when bars ' +
      'may follow: repeat the query with `cursor=<nextCursor>` until it is absent. While the broker is unavailable, ' +
      'candles cached from earlier requests are served with X-Data-Source: cache (the broker shows offline: true); ' +
      'otherwise X-Data-Source: broker.',
  })
  @ApiResponse({
    status: 200,
    type: CandleListDoc,
    headers: { [DATA_SOURCE_HEADER]: { description: 'broker or cache', schema: { type: 'string' } } },
  })
  @ApiErrorResponses(...BROKER_CALL_ERRORS)
  async candles(
    @Param() params: BrokerParams,
    @Query() query: CandlesQuery,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CandleListDoc> {
    const range = parseCandleRange(query.timeframe, query.start, query.end);
    const after = query.cursor === undefined ? undefined : decodeCandleCursor(query.cursor, range);
    const page = await this.marketData.getCandlePage(params.brokerId, query.symbol, range, query.limit ?? DEFAULT_CANDLE_PAGE_SIZE, after);
    response.setHeader(DATA_SOURCE_HEADER, page.source);
    return {
      brokerId: params.brokerId,
      symbol: query.symbol,
      timeframe: range.timeframe,
      source: page.source,
      candles: page.candles.map((candle) => candle.toJSON()),
      ...(page.next === undefined ? {} : { nextCursor: encodeCandleCursor(page.next) }),
    };
  }

  @Get(':brokerId/quotes/:symbol')
  @ApiOperation({ summary: 'Current quote of a symbol' })
  @ApiResponse({ status: 200, type: QuoteDoc })
  @ApiErrorResponses(...BROKER_CALL_ERRORS)
  async quote(@Param() params: SymbolParams): Promise<QuoteJson> {
    return (await this.marketData.getQuote(params.brokerId, params.symbol)).toJSON();
  }

  @Get(':brokerId/quotes/:symbol/stream')
  @ApiOperation({
    summary: 'Live quotes as Server-Sent Events',
    description:
      'Each event is `event: quote` with a Quote as JSON data. A broker failure after the stream started ends it ' +
      'with `event: error` and the error body. Disconnecting closes the broker stream. The stream ends when the ' +
      'gateway shuts down (an EventSource reconnects, to another replica).',
  })
  @ApiResponse({
    status: 200,
    description: 'Server-Sent Events: `event: quote` with a Quote (see QuoteDoc) as JSON data',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiErrorResponses(...BROKER_CALL_ERRORS)
  async streamQuotes(@Param() params: SymbolParams, @Req() request: IncomingMessage, @Res() response: ServerResponse): Promise<void> {
    const abort = new AbortController();
    const onClose = (): void => abort.abort();
    response.on('close', onClose);
    // A stream never ends by itself: the shutdown ends it, as it ends gRPC server streams.
    this.shutdown?.signal.addEventListener('abort', onClose, { once: true });
    if (this.shutdown?.isStopping) abort.abort();
    try {
      const stream = await this.marketData.openQuoteStream(params.brokerId, [params.symbol], abort.signal);
      if (abort.signal.aborted || request.destroyed) {
        await stream.rest.return?.();
        return;
      }
      await writeQuotesAsServerSentEvents(response, stream, abort.signal);
    } finally {
      response.off('close', onClose);
      this.shutdown?.signal.removeEventListener('abort', onClose);
      abort.abort();
    }
  }
}
