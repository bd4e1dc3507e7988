import { InsufficientFundsError, isBrokerError, OrderSide, PlaceOrderCommand, SymbolNotFoundError } from '@qts/broker-domain';
import type { Answer } from '../http/http-exchange';
import type { LedgerEntry, SimulatedOrderLedger } from './simulated-order-ledger';

/** How a dialect words the simulated broker's refusals of an order. */
export interface OrderRefusalAnswers {
  /** A buy beyond the account's cash. */
  insufficientCash: Answer;
  /** A sell beyond the shares the account holds. */
  insufficientShares: Answer;
  unknownSymbol: Answer;
  /** Any other refusal, with the reason the simulated broker gave. */
  refused(reason: string): Answer;
}

/**
 * Places `command` in the ledger and answers as the dialect does: the refusal the broker's error stands for,
 * or `accepted` of the entry placed. An error that is not a broker refusal propagates (the request
 * fails as a simulator bug would, rather than as an invented refusal).
 */
export async function placeOrderAnswer(
  ledger: Pick<SimulatedOrderLedger, 'place'>,
  command: PlaceOrderCommand,
  refusals: OrderRefusalAnswers,
  accepted: (entry: LedgerEntry) => Answer,
): Promise<Answer> {
  let entry: LedgerEntry;
  try {
    entry = await ledger.place(command);
  } catch (error) {
    if (error instanceof InsufficientFundsError) {
      return command.side === OrderSide.BUY ? refusals.insufficientCash : refusals.insufficientShares;
    }
    if (error instanceof SymbolNotFoundError) {
      return refusals.unknownSymbol;
    }
    if (isBrokerError(error)) {
      return refusals.refused(error.message);
    }
    throw error;
  }
  return accepted(entry);
}
