import { credentials, Metadata, type ChannelCredentials, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { qtsExecutionV1, qtsTypeV1 } from '@qts/grpc-contracts';

/** A SubmitIntentRequest for a LIMIT buy of 10 x 005930 at 70,100 on the test account; overrides per test. */
export function submitRequest(
  intentId: string,
  overrides: Partial<qtsExecutionV1.SubmitIntentRequest> = {},
): qtsExecutionV1.SubmitIntentRequest {
  return {
    intentId,
    strategyId: 'momentum-kr',
    brokerId: 'kis',
    accountId: '50012345-01',
    symbol: '005930',
    side: qtsTypeV1.OrderSide.BUY,
    quantity: 10,
    orderType: qtsTypeV1.OrderType.LIMIT,
    limitPrice: '70100',
    dryRun: false,
    expiresAt: '',
    maxDelayMs: 0,
    ...overrides,
  };
}

/** x-api-key metadata, or none. */
export function apiKeyMetadata(apiKey: string | null | undefined): Metadata {
  const metadata = new Metadata();
  if (typeof apiKey === 'string') metadata.set('x-api-key', apiKey);
  return metadata;
}

/**
 * The generated ExecutionService client with promise methods, as a strategy engine would use it: every call carries
 * the client's API key (x-api-key), unless a call names another one (null: none).
 */
export class ExecutionGrpcClient {
  readonly raw: qtsExecutionV1.ExecutionServiceClient;

  constructor(
    address: string,
    readonly apiKey?: string,
    channel: ChannelCredentials = credentials.createInsecure(),
  ) {
    this.raw = new qtsExecutionV1.ExecutionServiceClient(address, channel);
  }

  submitIntent(
    request: qtsExecutionV1.SubmitIntentRequest,
    deadlineMs = 30_000,
    apiKey: string | null | undefined = this.apiKey,
  ): Promise<qtsExecutionV1.SubmitIntentResponse> {
    return new Promise((resolve, reject) =>
      this.raw.submitIntent(request, apiKeyMetadata(apiKey), { deadline: Date.now() + deadlineMs }, (error, response) =>
        error ? reject(error) : resolve(response),
      ),
    );
  }

  getIntent(intentId: string, apiKey: string | null | undefined = this.apiKey): Promise<qtsExecutionV1.GetIntentResponse> {
    return new Promise((resolve, reject) =>
      this.raw.getIntent({ intentId }, apiKeyMetadata(apiKey), { deadline: Date.now() + 10_000 }, (error, response) =>
        error ? reject(error) : resolve(response),
      ),
    );
  }

  streamExecutionReports(
    request: qtsExecutionV1.StreamExecutionReportsRequest,
    apiKey: string | null | undefined = this.apiKey,
  ): ClientReadableStream<qtsExecutionV1.ExecutionReport> {
    return this.raw.streamExecutionReports(request, apiKeyMetadata(apiKey));
  }

  /** ResetFailSafe with exactly the given key (none when undefined): the admin call is never made implicitly. */
  resetFailSafe(request: qtsExecutionV1.ResetFailSafeRequest, apiKey?: string): Promise<qtsExecutionV1.ResetFailSafeResponse> {
    return new Promise((resolve, reject) =>
      this.raw.resetFailSafe(request, apiKeyMetadata(apiKey), { deadline: Date.now() + 10_000 }, (error, response) =>
        error ? reject(error) : resolve(response),
      ),
    );
  }

  close(): void {
    this.raw.close();
  }
}

/** The status of a failed call, for assertions. */
export function grpcFailure(error: unknown): { code: number; details: string } {
  const serviceError = error as ServiceError;
  return { code: serviceError.code, details: serviceError.details };
}
