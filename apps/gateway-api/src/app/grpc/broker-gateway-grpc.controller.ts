import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { Metadata, type ServerWritableStream } from '@grpc/grpc-js';
import { qtsGatewayV1 } from '@qts/grpc-contracts';
import {
  BrokerParams,
  CurrentPrincipal,
  GrpcServerStreams,
  RequireScope,
  validatePlain,
  type ApiPrincipal,
  type OpenServerStream,
} from '@qts/service-infra';
import type { Observable } from 'rxjs';
import { AccountService } from '../accounts/account.service';
import { BrokerCatalogService } from '../brokers/broker-catalog.service';
import { parseCandleRange } from '../market-data/candle-range';
import { MarketDataService } from '../market-data/market-data.service';
import { parseIdempotencyKey } from '../orders/idempotency-key';
import { OrderService } from '../orders/order.service';
import { CandlesQuery } from '../rest/dto/candles.query';
import { PlaceOrderBody } from '../rest/dto/place-order.body';
import { AccountParams, OrderParams, SymbolParams } from '../rest/dto/route-params';
import {
  balanceToProto,
  brokerToProto,
  candleToProto,
  orderSideFromProto,
  orderToProto,
  orderTypeFromProto,
  positionToProto,
  quoteToProto,
  symbolToProto,
} from './gateway-proto-mapping';
import { StreamQuotesRequestDto } from './stream-quotes.request';

/** Candles per GetCandlesResponse message. */
export const CANDLES_PER_MESSAGE = 500;

/** Initial metadata of GetCandles: where the candles came from, as the REST header X-Data-Source. */
export const DATA_SOURCE_METADATA_KEY = 'x-data-source';

const SERVICE = 'BrokerGatewayService';

/**
 * qts.gateway.v1.BrokerGatewayService over the same services as the REST API (validation, idempotency,
 * live-trading guard, offline mode). Callers authenticate with `x-api-key` metadata (the API-key guard);
 * failures are gRPC statuses with the stable code in the `qts-error-code` trailer (the exception filter).
 */
@Controller()
export class BrokerGatewayGrpcController {
  constructor(
    private readonly catalog: BrokerCatalogService,
    private readonly marketData: MarketDataService,
    private readonly accounts: AccountService,
    private readonly orders: OrderService,
    private readonly streams: GrpcServerStreams,
  ) {}

  @GrpcMethod(SERVICE, 'ListBrokers')
  @RequireScope('read')
  async listBrokers(): Promise<qtsGatewayV1.ListBrokersResponse> {
    return { brokers: this.catalog.list().map(brokerToProto) };
  }

  @GrpcMethod(SERVICE, 'GetBroker')
  @RequireScope('read')
  async getBroker(request: qtsGatewayV1.GetBrokerRequest): Promise<qtsGatewayV1.GetBrokerResponse> {
    const { brokerId } = validatePlain(BrokerParams, { brokerId: request.brokerId });
    return { broker: brokerToProto(this.catalog.get(brokerId)) };
  }

  @GrpcMethod(SERVICE, 'GetSymbols')
  @RequireScope('read')
  async getSymbols(request: qtsGatewayV1.GetSymbolsRequest): Promise<qtsGatewayV1.GetSymbolsResponse> {
    const { brokerId } = validatePlain(BrokerParams, { brokerId: request.brokerId });
    const symbols = await this.marketData.getSymbols(brokerId);
    return { symbols: symbols.map((symbol) => symbolToProto(symbol.toJSON())) };
  }

  @GrpcMethod(SERVICE, 'GetCandles')
  @RequireScope('read')
  getCandles(
    request: qtsGatewayV1.GetCandlesRequest,
    _metadata: Metadata,
    call: ServerWritableStream<qtsGatewayV1.GetCandlesRequest, qtsGatewayV1.GetCandlesResponse>,
  ): Observable<never> {
    return this.streams.stream(call, (stream) => this.writeCandles(request, stream));
  }

  @GrpcMethod(SERVICE, 'GetQuote')
  @RequireScope('read')
  async getQuote(request: qtsGatewayV1.GetQuoteRequest): Promise<qtsGatewayV1.GetQuoteResponse> {
    const params = validatePlain(SymbolParams, { brokerId: request.brokerId, symbol: request.symbol });
    return { quote: quoteToProto((await this.marketData.getQuote(params.brokerId, params.symbol)).toJSON()) };
  }

  @GrpcMethod(SERVICE, 'StreamQuotes')
  @RequireScope('read')
  streamQuotes(
    request: qtsGatewayV1.StreamQuotesRequest,
    _metadata: Metadata,
    call: ServerWritableStream<qtsGatewayV1.StreamQuotesRequest, qtsGatewayV1.StreamQuotesResponse>,
  ): Observable<never> {
    return this.streams.stream(call, (stream) => this.writeQuotes(request, stream));
  }

  @GrpcMethod(SERVICE, 'GetBalance')
  @RequireScope('read')
  async getBalance(request: qtsGatewayV1.GetBalanceRequest): Promise<qtsGatewayV1.GetBalanceResponse> {
    const params = validatePlain(AccountParams, { brokerId: request.brokerId, accountId: request.accountId });
    return { balance: balanceToProto((await this.accounts.getBalance(params.brokerId, params.accountId)).toJSON()) };
  }

  @GrpcMethod(SERVICE, 'GetPositions')
  @RequireScope('read')
  async getPositions(request: qtsGatewayV1.GetPositionsRequest): Promise<qtsGatewayV1.GetPositionsResponse> {
    const params = validatePlain(AccountParams, { brokerId: request.brokerId, accountId: request.accountId });
    const positions = await this.accounts.getPositions(params.brokerId, params.accountId);
    return { positions: positions.map((position) => positionToProto(position.toJSON())) };
  }

  @GrpcMethod(SERVICE, 'PlaceOrder')
  @RequireScope('trade')
  async placeOrder(
    @Payload() request: qtsGatewayV1.PlaceOrderRequest,
    @CurrentPrincipal() principal: ApiPrincipal,
  ): Promise<qtsGatewayV1.PlaceOrderResponse> {
    const params = validatePlain(AccountParams, { brokerId: request.brokerId, accountId: request.accountId });
    const body = validatePlain(PlaceOrderBody, {
      symbol: request.symbol,
      side: orderSideFromProto(request.side),
      orderType: orderTypeFromProto(request.orderType),
      quantity: request.quantity,
      ...(request.price === '' ? {} : { price: request.price }),
    });
    const idempotencyKey = request.idempotencyKey === '' ? undefined : parseIdempotencyKey(request.idempotencyKey);
    const result = await this.orders.placeOrder(principal, { ...params, ...body }, idempotencyKey);
    return { order: orderToProto(result.order, params.brokerId), duplicate: result.replayed };
  }

  @GrpcMethod(SERVICE, 'GetOrder')
  @RequireScope('read')
  async getOrder(request: qtsGatewayV1.GetOrderRequest): Promise<qtsGatewayV1.GetOrderResponse> {
    const params = validatePlain(OrderParams, { brokerId: request.brokerId, orderId: request.orderId });
    const order = await this.orders.getOrder(params.brokerId, params.orderId);
    return { order: orderToProto(order.toJSON(), params.brokerId) };
  }

  @GrpcMethod(SERVICE, 'CancelOrder')
  @RequireScope('trade')
  async cancelOrder(request: qtsGatewayV1.CancelOrderRequest): Promise<qtsGatewayV1.CancelOrderResponse> {
    const params = validatePlain(OrderParams, { brokerId: request.brokerId, orderId: request.orderId });
    const order = await this.orders.cancelOrder(params.brokerId, params.orderId);
    return { order: orderToProto(order.toJSON(), params.brokerId) };
  }

  private async writeCandles(
    request: qtsGatewayV1.GetCandlesRequest,
    stream: OpenServerStream<qtsGatewayV1.GetCandlesResponse>,
  ): Promise<void> {
    const { brokerId } = validatePlain(BrokerParams, { brokerId: request.brokerId });
    const query = validatePlain(CandlesQuery, {
      symbol: request.symbol,
      timeframe: request.timeframe,
      start: request.startTime,
      end: request.endTime,
    });
    const range = parseCandleRange(query.timeframe, query.start, query.end);
    const candles = await this.marketData.openCandleStream(brokerId, query.symbol, range, CANDLES_PER_MESSAGE, stream.signal);
    try {
      const metadata = new Metadata();
      metadata.set(DATA_SOURCE_METADATA_KEY, candles.source);
      stream.call.sendMetadata(metadata);
      // Pulled one chunk at a time, as the client reads: a slow client holds the broker stream back.
      while (!stream.signal.aborted) {
        const next = await candles.chunks.next();
        if (next.done) break;
        await stream.write({ candles: next.value.map((candle) => candleToProto(candle.toJSON())) });
      }
    } finally {
      await candles.chunks.return?.();
    }
  }

  private async writeQuotes(
    request: qtsGatewayV1.StreamQuotesRequest,
    stream: OpenServerStream<qtsGatewayV1.StreamQuotesResponse>,
  ): Promise<void> {
    const params = validatePlain(StreamQuotesRequestDto, { brokerId: request.brokerId, symbols: request.symbols });
    const quotes = await this.marketData.openQuoteStream(params.brokerId, params.symbols, stream.signal);
    try {
      await stream.write({ quote: quoteToProto(quotes.first.toJSON()) });
      while (!stream.signal.aborted) {
        const next = await quotes.rest.next();
        if (next.done || stream.signal.aborted) break;
        await stream.write({ quote: quoteToProto(next.value.toJSON()) });
      }
    } finally {
      await quotes.rest.return?.().catch(() => undefined);
    }
  }
}
