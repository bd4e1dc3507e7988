import { InvalidOrderError, OrderRequest, orderRequestToCommand, OrderSide, OrderType } from '@qts/broker-domain';
import { KIWOOM_API_IDS, KIWOOM_ORDER_PATH, KiwoomExchange } from './kiwoom-endpoints';

/** trde_tp (매매구분) values this platform sends. */
export const KIWOOM_TRADE_TYPE = Object.freeze({ LIMIT: '0', MARKET: '3' } as const);

export interface KiwoomOrderBody {
  dmst_stex_tp: KiwoomExchange;
  stk_cd: string;
  ord_qty: string;
  /** Limit price in whole KRW; '' for a market order. */
  ord_uv: string;
  trde_tp: (typeof KIWOOM_TRADE_TYPE)[keyof typeof KIWOOM_TRADE_TYPE];
  /** Condition price, only for conditional orders: always empty here. */
  cond_uv: '';
  [field: string]: string;
}

export interface KiwoomCancelBody {
  dmst_stex_tp: KiwoomExchange;
  orig_ord_no: string;
  stk_cd: string;
  /** '0' cancels everything that remains. */
  cncl_qty: '0';
  [field: string]: string;
}

/** A Kiwoom order request: path, api-id header and body. */
export interface KiwoomOrderCall<TBody> {
  path: string;
  apiId: string;
  body: TBody;
}

/**
 * The kt10000 (buy) / kt10001 (sell) request of an order. Validates the request with the domain's
 * order rules first and throws InvalidOrderError instead of building a payload Kiwoom would refuse.
 */
export function buildKiwoomOrderPayload(
  request: OrderRequest,
  options: { exchange?: KiwoomExchange } = {},
): KiwoomOrderCall<KiwoomOrderBody> {
  const command = orderRequestToCommand(request);
  const limit = command.orderType === OrderType.LIMIT;
  if (limit && !(command.price?.isInteger() ?? false)) {
    throw new InvalidOrderError('Kiwoom takes whole-won limit prices', { field: 'price' });
  }
  return {
    path: KIWOOM_ORDER_PATH,
    apiId: command.side === OrderSide.BUY ? KIWOOM_API_IDS.BUY : KIWOOM_API_IDS.SELL,
    body: {
      dmst_stex_tp: options.exchange ?? 'KRX',
      stk_cd: command.symbol,
      ord_qty: String(command.quantity),
      ord_uv: limit && command.price !== undefined ? command.price.toFixed(0) : '',
      trde_tp: limit ? KIWOOM_TRADE_TYPE.LIMIT : KIWOOM_TRADE_TYPE.MARKET,
      cond_uv: '',
    },
  };
}

/** The kt10003 request cancelling all that remains of an order. */
export function buildKiwoomCancelPayload(target: {
  orderNo: string;
  symbol: string;
  exchange?: KiwoomExchange;
}): KiwoomOrderCall<KiwoomCancelBody> {
  if (typeof target.orderNo !== 'string' || !/^\d+$/.test(target.orderNo)) {
    throw new InvalidOrderError('orderNo (orig_ord_no) must be the Kiwoom order number', {
      field: 'orderId',
    });
  }
  if (typeof target.symbol !== 'string' || !/^[0-9A-Z]{6}$/.test(target.symbol)) {
    throw new InvalidOrderError('symbol (stk_cd) must be a 6-character KRX code', { field: 'symbol' });
  }
  return {
    path: KIWOOM_ORDER_PATH,
    apiId: KIWOOM_API_IDS.CANCEL,
    body: {
      dmst_stex_tp: target.exchange ?? 'KRX',
      orig_ord_no: target.orderNo,
      stk_cd: target.symbol,
      cncl_qty: '0',
    },
  };
}
