import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { OrderJson } from '@qts/broker-domain';
import type { ServerResponse } from 'node:http';
import { ApiErrorResponses } from '@qts/service-infra';
import { IDEMPOTENCY_KEY_HEADER, parseIdempotencyKey } from '../orders/idempotency-key';
import { OrderService } from '../orders/order.service';
import { CurrentPrincipal, RequireScope, type ApiPrincipal } from '@qts/service-infra';
import { API_KEY_SECURITY_SCHEME, API_PREFIX } from './api-prefix';
import { OrderDoc } from './dto/order.views';
import { PlaceOrderBody } from './dto/place-order.body';
import { AccountParams, OrderParams } from './dto/route-params';

/** Set on an answer that is the stored result of an earlier request with the same Idempotency-Key. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

@ApiTags('orders')
@ApiSecurity(API_KEY_SECURITY_SCHEME)
@Controller(`${API_PREFIX}/brokers`)
export class OrdersController {
  constructor(private readonly orders: OrderService) {}

  @Post(':brokerId/accounts/:accountId/orders')
  @RequireScope('trade')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Place a manual order (scope trade)',
    description:
      'Decimals are strings ("71500"). With an Idempotency-Key, a repeat of the same order gets the first answer ' +
      '(status and body, header Idempotent-Replayed: true) without a second broker call; another order under the ' +
      'same key is 409. Orders on REAL accounts are refused (403 LIVE_TRADING_DISABLED) unless live trading is enabled.',
  })
  @ApiHeader({ name: IDEMPOTENCY_KEY_HEADER, required: false, description: '1-255 visible ASCII characters, e.g. a UUID' })
  @ApiResponse({ status: 201, type: OrderDoc })
  @ApiErrorResponses(400, 401, 403, 404, 409, 422, 429, 503, 504)
  async place(
    @Param() params: AccountParams,
    @Body() body: PlaceOrderBody,
    @Headers('idempotency-key') idempotencyKeyHeader: string | undefined,
    @CurrentPrincipal() principal: ApiPrincipal,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<OrderJson> {
    const idempotencyKey = parseIdempotencyKey(idempotencyKeyHeader);
    const result = await this.orders.placeOrder(
      principal,
      {
        brokerId: params.brokerId,
        accountId: params.accountId,
        symbol: body.symbol,
        side: body.side,
        orderType: body.orderType,
        quantity: body.quantity,
        ...(body.price === undefined ? {} : { price: body.price }),
      },
      idempotencyKey,
    );
    response.statusCode = result.statusCode;
    if (result.replayed) response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
    return result.order;
  }

  @Get(':brokerId/orders/:orderId')
  @RequireScope('read')
  @ApiOperation({ summary: 'Current state of an order' })
  @ApiResponse({ status: 200, type: OrderDoc })
  @ApiErrorResponses(400, 401, 403, 404, 429, 503, 504)
  async get(@Param() params: OrderParams): Promise<OrderJson> {
    return (await this.orders.getOrder(params.brokerId, params.orderId)).toJSON();
  }

  @Delete(':brokerId/orders/:orderId')
  @RequireScope('trade')
  @ApiOperation({ summary: 'Cancel an open order (scope trade)' })
  @ApiResponse({ status: 200, type: OrderDoc })
  @ApiErrorResponses(400, 401, 403, 404, 422, 429, 503, 504)
  async cancel(@Param() params: OrderParams): Promise<OrderJson> {
    return (await this.orders.cancelOrder(params.brokerId, params.orderId)).toJSON();
  }
}
