import { OrderOutcomeUnknownError } from '@qts/broker-domain';
import { httpFailureClass } from '../http/http-failure-class';
import { orderTransportFailure, refusedHttpFailure } from '../http/rest-call-failures';
import { RestOrderAnswer } from './rest-order-submission';
import { RestResponse } from '../http/rest-response';

/**
 * Sends one cancel request. Same rules as an order: a cancel that may have reached the broker but got no
 * readable answer has an unknown outcome (OrderOutcomeUnknownError), never a silent retry.
 * Returns the accepted answer (the broker's number of the cancel order and its message).
 */
export async function submitRestCancel(
  brokerId: string,
  orderId: string,
  send: () => Promise<RestResponse>,
  interpret: (response: RestResponse) => RestOrderAnswer,
): Promise<{ cancelOrderId: string; message: string }> {
  let response: RestResponse;
  try {
    response = await send();
  } catch (error) {
    throw orderTransportFailure(error, brokerId, `cancel of order ${orderId}`);
  }
  const answer = interpret(response);
  if (answer.kind === 'accepted') {
    return { cancelOrderId: answer.orderId, message: answer.message };
  }
  if (answer.kind === 'refused') {
    throw answer.error;
  }
  if (httpFailureClass(response.status) === 'refused') {
    throw refusedHttpFailure(response.status, brokerId, `cancel of order ${orderId}`);
  }
  throw new OrderOutcomeUnknownError(
    `${brokerId}: cancel of order ${orderId} answered unreadably (HTTP ${response.status}, ${answer.reason}); check the order`,
    { details: { brokerId, orderId, httpStatus: response.status } },
  );
}
