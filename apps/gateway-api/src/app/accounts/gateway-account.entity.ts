import { runtimeAccountEntity } from '@qts/broker-accounts';

/** The gateway's accounts added at run time (its own table: the worker keeps its own in its database). */
export const GatewayAccountEntity = runtimeAccountEntity('gateway_accounts');
