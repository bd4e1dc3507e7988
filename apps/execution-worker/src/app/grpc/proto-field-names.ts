import { InvalidArgumentError } from '@qts/broker-domain';

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
  expiresAt: 'expires_at',
  maxDelayMs: 'max_delay_ms',
});

/** The message with the domain field name replaced by the proto one, e.g. "limit_price must be ...". */
export function withProtoFieldName(message: string, field: string | undefined): string {
  if (field === undefined) return message;
  const protoName = PROTO_FIELD_NAMES[field] ?? field;
  if (message.includes(protoName)) return message;
  return message.includes(field) ? message.split(field).join(protoName) : `${protoName}: ${message}`;
}

/**
 * A failure as the strategy engine should read it: an InvalidArgumentError of the domain (which names its own
 * fields) names the field of the SubmitIntentRequest instead; anything else is returned as it is.
 */
export function withProtoFieldNames(error: unknown): unknown {
  if (!(error instanceof InvalidArgumentError)) return error;
  const message = withProtoFieldName(error.message, error.field);
  return message === error.message ? error : new InvalidArgumentError(message, { field: error.field, details: error.details, cause: error });
}
