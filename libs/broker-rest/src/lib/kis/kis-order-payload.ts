import { InvalidOrderError, OrderRequest, orderRequestToCommand, OrderSide, OrderType } from '@qts/broker-domain';
import { KisAccount, requireKisAccount } from './kis-account';

/** ORD_DVSN (주문구분) values this platform sends. */
export const KIS_ORDER_DIVISION = Object.freeze({ LIMIT: '00', MARKET: '01' } as const);
export type KisOrderDivision = (typeof KIS_ORDER_DIVISION)[keyof typeof KIS_ORDER_DIVISION];

/** RVSE_CNCL_DVSN_CD: 01 amend, 02 cancel. */
export const KIS_CANCEL_DIVISION = '02';

/** Body of POST order-cash. Every value is a string, as KIS requires. */
export interface KisOrderCashBody {
  CANO: string;
  ACNT_PRDT_CD: string;
  PDNO: string;
  ORD_DVSN: KisOrderDivision;
  ORD_QTY: string;
  /** The limit price in whole KRW; "0" for a market order. */
  ORD_UNPR: string;
  /** KRX explicitly: without it KIS may route through SOR to another venue. */
  EXCG_ID_DVSN_CD: 'KRX';
  /** 매도유형: "01" ordinary sale for SELL, empty for BUY. */
  SLL_TYPE: '' | '01';
  /** Stop price, only for conditional orders: always empty here. */
  CNDT_PRIC: '';
  [field: string]: string;
}

/** Body of POST order-rvsecncl for a cancel of the whole remaining quantity. */
export interface KisCancelBody {
  CANO: string;
  ACNT_PRDT_CD: string;
  KRX_FWDG_ORD_ORGNO: string;
  ORGN_ODNO: string;
  ORD_DVSN: KisOrderDivision;
  RVSE_CNCL_DVSN_CD: typeof KIS_CANCEL_DIVISION;
  ORD_QTY: '0';
  ORD_UNPR: '0';
  QTY_ALL_ORD_YN: 'Y';
  EXCG_ID_DVSN_CD: 'KRX';
  [field: string]: string;
}

/**
 * The order-cash body of a request. Validates the request with the domain's order rules first (LIMIT
 * price on the KRX tick grid, none for MARKET, positive integer quantity) and the account format, and
 * throws InvalidOrderError / InvalidArgumentError instead of building a payload KIS would refuse.
 */
export function buildKisOrderPayload(request: OrderRequest, account: KisAccount): KisOrderCashBody {
  const command = orderRequestToCommand(request);
  const { cano, acntPrdtCd } = requireKisAccount(account);
  const limit = command.orderType === OrderType.LIMIT;
  if (limit && !(command.price?.isInteger() ?? false)) {
    throw new InvalidOrderError('KIS takes whole-won limit prices', { field: 'price' });
  }
  return {
    CANO: cano,
    ACNT_PRDT_CD: acntPrdtCd,
    PDNO: command.symbol,
    ORD_DVSN: limit ? KIS_ORDER_DIVISION.LIMIT : KIS_ORDER_DIVISION.MARKET,
    ORD_QTY: String(command.quantity),
    ORD_UNPR: limit && command.price !== undefined ? command.price.toFixed(0) : '0',
    EXCG_ID_DVSN_CD: 'KRX',
    SLL_TYPE: command.side === OrderSide.SELL ? '01' : '',
    CNDT_PRIC: '',
  };
}

export interface KisCancelTarget {
  /** ODNO of the order to cancel. */
  orderNo: string;
  /** KRX_FWDG_ORD_ORGNO the order was placed with (from the place answer or the daily inquiry). */
  branchNo: string;
  /** ORD_DVSN of the original order; default limit. */
  orderDivision?: KisOrderDivision;
}

/** The order-rvsecncl body cancelling all that remains of an order (QTY_ALL_ORD_YN "Y"). */
export function buildKisCancelPayload(target: KisCancelTarget, account: KisAccount): KisCancelBody {
  const { cano, acntPrdtCd } = requireKisAccount(account);
  if (typeof target.orderNo !== 'string' || !/^\d+$/.test(target.orderNo)) {
    throw new InvalidOrderError('orderNo (ORGN_ODNO) must be the KIS order number', { field: 'orderId' });
  }
  if (typeof target.branchNo !== 'string' || !/^\d+$/.test(target.branchNo)) {
    throw new InvalidOrderError('branchNo (KRX_FWDG_ORD_ORGNO) must be the KIS order branch number', {
      field: 'branchNo',
    });
  }
  return {
    CANO: cano,
    ACNT_PRDT_CD: acntPrdtCd,
    KRX_FWDG_ORD_ORGNO: target.branchNo,
    ORGN_ODNO: target.orderNo,
    ORD_DVSN: target.orderDivision ?? KIS_ORDER_DIVISION.LIMIT,
    RVSE_CNCL_DVSN_CD: KIS_CANCEL_DIVISION,
    ORD_QTY: '0',
    ORD_UNPR: '0',
    QTY_ALL_ORD_YN: 'Y',
    EXCG_ID_DVSN_CD: 'KRX',
  };
}
