import { OrderStatus, type ExecutionResponse } from '@qts/broker-domain';
import { qtsExecutionV1, qtsTypeV1 } from '@qts/grpc-contracts';
import { testPlatformConfig, waitFor } from '@qts/test-support';
import { submitRequest } from '../../../test/execution-grpc-client';
import { acceptedResponse, ScriptedBrokerFactory } from '../../../test/scripted-broker-factory';
import { startTestWorker, type TestWorker } from '../../../test/worker-test-app';
import { answerDeadline } from './execution-grpc.controller';

describe('answerDeadline', () => {
  const call = (deadline: Date | number) => ({ getDeadline: () => deadline });

  it("is the call's deadline minus the margin", () => {
    expect(answerDeadline(call(new Date(10_000)), 250, 0)).toEqual(new Date(9_750));
    expect(answerDeadline(call(10_000), 250, 0)).toEqual(new Date(9_750));
  });

  it('leaves a short deadline at least half of its time, and waits for the outcome without one', () => {
    expect(answerDeadline(call(10_100), 250, 10_000)).toEqual(new Date(10_050));
    expect(answerDeadline(call(9_000), 250, 10_000)).toEqual(new Date(9_000));
    expect(answerDeadline(call(Number.POSITIVE_INFINITY), 250, 0)).toBeUndefined();
    expect(answerDeadline(undefined, 250, 0)).toBeUndefined();
  });
});

describe('SubmitIntent within the deadline of its caller (AppModule, real gRPC, a broker that does not answer)', () => {
  let worker: TestWorker;
  const brokers = new ScriptedBrokerFactory();
  let answer!: (response: ExecutionResponse) => void;

  beforeAll(async () => {
    brokers.engine = (intent, { send }) =>
      new Promise<ExecutionResponse>((resolve) => {
        send?.onStage?.('sending');
        answer = (response) => resolve({ ...response, intentId: intent.intentId });
      });
    worker = await startTestWorker(testPlatformConfig({ worker: { submitAnswerMarginMs: 300 } }), brokers);
  });

  afterAll(async () => {
    answer?.(acceptedResponse(brokers.sent[0]));
    worker?.client.close();
    await worker?.app.close();
  });

  it('answers PENDING (awaiting the broker) instead of DEADLINE_EXCEEDED; the outcome follows on GetIntent', async () => {
    const pending = await worker.client.submitIntent(submitRequest('slow-broker'), 1_500);

    expect(pending).toMatchObject({
      intentId: 'slow-broker',
      accepted: false,
      status: qtsTypeV1.OrderStatus.PENDING,
      pendingReason: qtsExecutionV1.PendingReason.AWAITING_BROKER,
      failSafeCode: '',
      duplicate: false,
    });
    expect(pending.message).toMatch(/^pending: sent/);
    await expect(worker.client.getIntent('slow-broker')).resolves.toMatchObject({
      status: qtsTypeV1.OrderStatus.PENDING,
      pendingReason: qtsExecutionV1.PendingReason.AWAITING_BROKER,
    });

    answer(acceptedResponse(brokers.sent[0], { status: OrderStatus.FILLED }));
    const settled = await waitFor(
      async () => {
        const intent = await worker.client.getIntent('slow-broker');
        return intent.status === qtsTypeV1.OrderStatus.FILLED ? intent : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 50, description: 'slow-broker filled' },
    );
    expect(settled).toMatchObject({ accepted: true, pendingReason: qtsExecutionV1.PendingReason.UNSPECIFIED });
    await expect(worker.client.submitIntent(submitRequest('slow-broker'), 1_500)).resolves.toMatchObject({
      duplicate: true,
      accepted: true,
      status: qtsTypeV1.OrderStatus.FILLED,
    });
    expect(brokers.sent).toHaveLength(1);
  });
});
