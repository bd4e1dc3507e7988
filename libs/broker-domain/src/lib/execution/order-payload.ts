import type { OrderAdapter, OrderRequest } from './execution-contracts';

/** The request an adapter would send for an order: where to, and what. Built and validated without I/O. */
export interface OrderPayload {
  /** e.g. 'POST /uapi/domestic-stock/v1/trading/order-cash (tr_id VTTC0012U)'. */
  endpoint: string;
  body: unknown;
}

/** Adapters that can build (and so validate) their payload without sending it: what dry runs use. */
export interface OrderPayloadBuilder {
  /** Throws InvalidOrderError (or another domain error) when the request cannot be sent as given. */
  buildPayload(request: OrderRequest): OrderPayload;
}

export function hasPayloadBuilder(adapter: OrderAdapter): adapter is OrderAdapter & OrderPayloadBuilder {
  return typeof (adapter as Partial<OrderPayloadBuilder>).buildPayload === 'function';
}
