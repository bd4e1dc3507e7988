import { OrderOutcomeUnknownError, OrderRequest, OrderResponse, OrderStatus } from '@qts/broker-domain';
import { httpFailureClass } from '../http/http-failure-class';
import { PlacedOrderBook } from './placed-order-book';
import { orderTransportFailure, refusedHttpFailure } from '../http/rest-call-failures';
import { kstDate } from '../http/kst-date';
import { RestResponse } from '../http/rest-response';

/** A broker's answer to an order request, as its parser reads it. */
export type RestOrderAnswer =
  | { kind: 'accepted'; orderId: string; branchNo?: string; brokerCode?: string; message: string }
  /** A definite refusal: nothing was placed. `error` is the classified domain error to throw. */
  | { kind: 'refused'; error: Error }
  /** Not a readable broker answer; the HTTP status decides whether the order may have been taken. */
  | { kind: 'unreadable'; reason: string };

export interface RestOrderSubmission {
  brokerId: string;
  book: PlacedOrderBook;
  request: OrderRequest;
  /** When the request is sent. */
  sentAt: Date;
  send: () => Promise<RestResponse>;
  interpret: (response: RestResponse) => RestOrderAnswer;
}

/**
 * Places one order over a REST API that has no idempotency key, without ever sending it twice:
 * - a clientOrderId this process already sent is not sent again (accepted: its first answer; in flight
 *   or outcome unknown: OrderOutcomeUnknownError);
 * - a transport failure after the request may have left, an unreadable answer with a status that does
 *   not prove a refusal (2xx, 500, 502, 504 ...) -> OrderOutcomeUnknownError: reconcile, never re-send;
 * - a definite refusal (broker error code, or 4xx/503 without a body) -> the classified domain error.
 */
export async function submitRestOrder(submission: RestOrderSubmission): Promise<OrderResponse> {
  const { book, brokerId, request } = submission;
  const clientOrderId = request.clientOrderId;
  const previous = book.get(clientOrderId);
  if (previous !== undefined && previous.state !== 'rejected') {
    if (previous.state === 'accepted' && previous.orderId !== undefined) {
      return acceptedResponse(
        clientOrderId,
        previous.orderId,
        `already placed as order ${previous.orderId}; not sent again`,
      );
    }
    // In flight or outcome unknown: sending again could place a second order.
    throw new OrderOutcomeUnknownError(
      `${brokerId}: clientOrderId '${clientOrderId}' was already sent and its outcome is not known; not sent again`,
      { clientOrderId, details: { brokerId } },
    );
  }
  book.begin({
    clientOrderId,
    symbol: request.symbol,
    side: request.side,
    orderType: request.orderType,
    quantity: request.quantity,
    ...(request.price === undefined ? {} : { price: request.price }),
    sentAt: submission.sentAt,
    orderDate: kstDate(submission.sentAt),
  });

  let response: RestResponse;
  try {
    response = await submission.send();
  } catch (error) {
    const failure = orderTransportFailure(error, brokerId, 'order', clientOrderId);
    if (failure instanceof OrderOutcomeUnknownError) {
      book.markUnknown(clientOrderId, failure.message);
    } else {
      book.forget(clientOrderId);
    }
    throw failure;
  }

  const answer = submission.interpret(response);
  if (answer.kind === 'accepted') {
    book.accept(clientOrderId, answer.orderId, answer.branchNo, answer.message);
    return {
      ...acceptedResponse(clientOrderId, answer.orderId, answer.message),
      ...brokerCodeOf(answer.brokerCode),
    };
  }
  if (answer.kind === 'refused') {
    book.reject(clientOrderId, answer.error.message);
    throw answer.error;
  }
  if (httpFailureClass(response.status) === 'refused') {
    book.forget(clientOrderId);
    throw refusedHttpFailure(response.status, brokerId, 'order');
  }
  const unknown = new OrderOutcomeUnknownError(
    `${brokerId}: order answer unreadable (HTTP ${response.status}, ${answer.reason}); reconcile, do not re-send`,
    { clientOrderId, details: { brokerId, httpStatus: response.status } },
  );
  book.markUnknown(clientOrderId, unknown.message);
  throw unknown;
}

function acceptedResponse(clientOrderId: string, orderId: string, message: string): OrderResponse {
  return { clientOrderId, orderId, accepted: true, status: OrderStatus.ACCEPTED, filledQuantity: 0, message };
}

function brokerCodeOf(brokerCode: string | undefined): { brokerCode?: string } {
  return brokerCode === undefined ? {} : { brokerCode };
}
