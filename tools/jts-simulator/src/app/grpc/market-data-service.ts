import type { MockBrokerGateway } from '@qts/broker-domain';
import type { jtsV1 } from '@qts/grpc-contracts';
import type { BrokerCallPipeline } from './broker-call-pipeline';
import { parseCandlesRequest, parseQuoteSymbols, requireSymbol } from './jts-request-parsing';
import { toCandleData, toQuoteData, toSymbolMessage } from './jts-wire-format';

/** jts.v1.MarketDataService backed by a mock broker. */
export function createMarketDataService(
  gateway: MockBrokerGateway,
  pipeline: BrokerCallPipeline,
): jtsV1.MarketDataServiceServer {
  return {
    getSymbols: pipeline.unary<jtsV1.GetSymbolsRequest, jtsV1.GetSymbolsResponse>('GetSymbols', async () => ({
      symbols: (await gateway.getSymbols()).map(toSymbolMessage),
    })),

    // Candles are generated lazily and written as the client reads them: a slow client never makes the
    // server buffer a whole range, and a cancelled call stops the generation.
    getCandles: pipeline.serverStream<jtsV1.GetCandlesRequest, jtsV1.CandleData>(
      'GetCandles',
      async (request, write, signal) => {
        const query = parseCandlesRequest(request);
        const candles = gateway.streamCandles(query.symbol, query.timeframe, query.start, query.end, { signal });
        for await (const candle of candles) {
          await write(toCandleData(candle));
          if (signal.aborted) {
            return;
          }
        }
      },
    ),

    getQuote: pipeline.unary<jtsV1.GetQuoteRequest, jtsV1.QuoteData>('GetQuote', async (request) =>
      toQuoteData(await gateway.getQuote(requireSymbol(request.symbol))),
    ),

    // Runs until the client cancels (or the broker goes down): the abort ends the mock's quote stream
    // and clears its timer.
    streamQuotes: pipeline.serverStream<jtsV1.StreamQuotesRequest, jtsV1.QuoteData>(
      'StreamQuotes',
      async (request, write, signal) => {
        const symbols = parseQuoteSymbols(request);
        for await (const quote of gateway.streamQuotes(symbols, { signal })) {
          await write(toQuoteData(quote));
        }
      },
    ),
  };
}
