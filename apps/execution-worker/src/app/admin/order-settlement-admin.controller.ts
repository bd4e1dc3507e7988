import { Body, Controller, HttpCode, Inject, Logger, Optional, Param, Post } from '@nestjs/common';
import { EXECUTION_INTENT_ID_LIMITS, InvalidArgumentError, OrderNotFoundError, OrderStatus, quoteCallerValue } from '@qts/broker-domain';
import { actsForStrategy, CurrentPrincipal, RequireScope, type ApiPrincipal } from '@qts/service-infra';
import { ExecutionConsoleStreams } from '../console/execution-console-streams';
import { ExecutionStore } from '../persistence/execution-store';
import type { OperatorSettlement } from '../persistence/stored-intent';
import { WORKER_CLOCK, type WorkerClock } from '../processing/worker-clock';
import { OrderSettlementDto } from './order-settlement.dto';

/** What the settle route answers: the order as stored afterwards. */
export interface SettledOrderView {
  intentId: string;
  status: OrderStatus;
  brokerOrderId: string | null;
  message: string | null;
}

/**
 * Where an operator settles an order the worker cannot settle on its own (UNKNOWN with an operator flag such as
 * AMBIGUOUS_MATCH), once they have looked at the broker. The worker never re-sends such an order and never asks the
 * broker about it again; this route is what ends its UNKNOWN state and clears the alert.
 */
@Controller('admin/orders')
@RequireScope('admin')
export class OrderSettlementAdminController {
  private readonly logger = new Logger(OrderSettlementAdminController.name);

  constructor(
    private readonly store: ExecutionStore,
    @Inject(WORKER_CLOCK) private readonly clock: WorkerClock,
    @Optional() private readonly consoles?: ExecutionConsoleStreams,
  ) {}

  /**
   * AT_BROKER with `brokerOrderId`: the order is that broker order; it becomes ACCEPTED under that number and the
   * open-order checks take its fills and cancellation from the broker. NEVER_REACHED: REJECTED (FS042), final.
   * 404 for an unknown intent (or another strategy's, for a key bound to strategies), 409 SETTLEMENT_CONFLICT when
   * the order is not waiting for an operator or the number is already another order's.
   */
  @Post(':intentId/settle')
  @HttpCode(200)
  async settle(
    @Param('intentId') intentId: string,
    @Body() body: OrderSettlementDto,
    @CurrentPrincipal() principal: ApiPrincipal,
  ): Promise<SettledOrderView> {
    if (intentId.length > EXECUTION_INTENT_ID_LIMITS.intentId) {
      throw new InvalidArgumentError(`intentId must be at most ${EXECUTION_INTENT_ID_LIMITS.intentId} characters`, { field: 'intentId' });
    }
    const settlement = settlementOf(body);
    const known = await this.store.findIntent(intentId);
    if (known === null || !actsForStrategy(principal, known.intent.strategyId)) {
      throw new OrderNotFoundError(`intent_id ${quoteCallerValue(intentId)} is not known`);
    }
    const stored = await this.store.settleByOperator(intentId, settlement, this.clock.now());
    if (stored?.order === undefined) throw new OrderNotFoundError(`intent_id ${quoteCallerValue(intentId)} is not known`);
    this.logger.warn(
      `Intent '${intentId}' settled by ${principal.name}: ${stored.order.status}` +
        `${stored.order.brokerOrderId === undefined ? '' : ` as broker order ${stored.order.brokerOrderId}`} (${body.reason})`,
    );
    this.consoles?.trigger();
    return {
      intentId,
      status: stored.order.status,
      brokerOrderId: stored.order.brokerOrderId ?? null,
      message: stored.order.message ?? null,
    };
  }
}

function settlementOf(body: OrderSettlementDto): OperatorSettlement {
  if (body.resolution === 'AT_BROKER') {
    if (body.brokerOrderId === undefined) {
      throw new InvalidArgumentError('brokerOrderId is required with resolution AT_BROKER: the broker order this order is', {
        field: 'brokerOrderId',
      });
    }
    return { kind: 'at_broker', brokerOrderId: body.brokerOrderId, note: body.reason };
  }
  if (body.brokerOrderId !== undefined) {
    throw new InvalidArgumentError('brokerOrderId must be absent with resolution NEVER_REACHED', { field: 'brokerOrderId' });
  }
  return { kind: 'never_reached', note: body.reason };
}
