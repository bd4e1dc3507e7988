/** Domain field names of an intent and their names in qts.execution.v1 (what a client sees in its request). */
export const PROTO_FIELD_NAMES: Readonly<Record<string, string>> = Object.freeze({
  intentId: 'intent_id',
  strategyId: 'strategy_id',
  brokerId: 'broker_id',
  accountId: 'account_id',
  symbol: 'symbol',
  side: 'side',
  quantity: 'quantity',
  orderType: 'order_type',
  limitPrice: 'limit_price',
});

/** The message with the domain field name replaced by the proto one, e.g. "limit_price must be ...". */
export function withProtoFieldName(message: string, field: string | undefined): string {
  if (field === undefined) return message;
  const protoName = PROTO_FIELD_NAMES[field] ?? field;
  if (message.includes(protoName)) return message;
  return message.includes(field) ? message.split(field).join(protoName) : `${protoName}: ${message}`;
}
