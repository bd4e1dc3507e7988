import { credentials, status } from '@grpc/grpc-js';
import { qtsExecutionV1, qtsGatewayV1, qtsTypeV1 } from '@qts/grpc-contracts';
import { createTestCertificates, startBuiltApp, waitFor } from '@qts/test-support';
import { malformedBody, ECHO_CANARY } from '../test/malformed-json';
import { malformedMessage, varintField } from '../test/malformed-protobuf';
import { RawGrpcClient, SERVER_FAULT_STATUSES, type CallOutcome } from '../test/raw-grpc';
import { FUZZ_SEED, SeededRandom } from '../test/seeded-random';
import {
  ADMIN_API_KEY,
  CONSOLE_ORIGIN,
  createApiKey,
  PAPER_ACCOUNT,
  startSecurityPlatform,
  type SecurityPlatform,
} from '../test/security-platform';

const WORKER = '/qts.execution.v1.ExecutionService/';
const GATEWAY = '/qts.gateway.v1.BrokerGatewayService/';
/** Malformed messages sent to each RPC of both services, and malformed REST bodies in all. */
const MALFORMED_MESSAGES_PER_RPC = Number(process.env['SECURITY_MESSAGES_PER_RPC'] ?? 1_000);
/** Streaming calls per connection in the malformed-message run (see the comment in that test). */
const STREAMS_PER_CONNECTION = 50;
const MALFORMED_BODIES = Number(process.env['SECURITY_REST_BODIES'] ?? 1_200);

const bytesOf = (writer: { finish(): Uint8Array }): Buffer => Buffer.from(writer.finish());

function submitIntentBytes(intentId: string, overrides: Partial<qtsExecutionV1.SubmitIntentRequest> = {}): Buffer {
  return bytesOf(
    qtsExecutionV1.SubmitIntentRequest.encode({
      intentId,
      strategyId: 'momentum-kr',
      brokerId: 'kis',
      accountId: PAPER_ACCOUNT,
      symbol: '005930',
      side: qtsTypeV1.OrderSide.BUY,
      quantity: 1,
      orderType: qtsTypeV1.OrderType.LIMIT,
      limitPrice: '70100',
      dryRun: false,
      expiresAt: '',
      maxDelayMs: 0,
      ...overrides,
    }),
  );
}

const getIntentBytes = (intentId: string) => bytesOf(qtsExecutionV1.GetIntentRequest.encode({ intentId }));
const streamBytes = (strategyId: string) => bytesOf(qtsExecutionV1.StreamExecutionReportsRequest.encode({ strategyId, brokerId: '' }));
const resetBytes = () => bytesOf(qtsExecutionV1.ResetFailSafeRequest.encode({ brokerId: 'kis', reason: 'security suite' }));

function placeOrderBytes(overrides: Partial<qtsGatewayV1.PlaceOrderRequest> = {}): Buffer {
  return bytesOf(
    qtsGatewayV1.PlaceOrderRequest.encode({
      brokerId: 'kis',
      accountId: PAPER_ACCOUNT,
      symbol: '005930',
      side: qtsTypeV1.OrderSide.BUY,
      orderType: qtsTypeV1.OrderType.MARKET,
      quantity: 1,
      price: '',
      idempotencyKey: '',
      ...overrides,
    }),
  );
}

/** Every RPC of both services with a valid request, whether it streams, and its int64 fields. */
const RPCS: ReadonlyArray<{ path: string; valid: () => Buffer; streaming: boolean; int64Fields: number[] }> = [
  { path: `${WORKER}SubmitIntent`, valid: () => submitIntentBytes('fuzz-base'), streaming: false, int64Fields: [7] },
  { path: `${WORKER}GetIntent`, valid: () => getIntentBytes('fuzz-base'), streaming: false, int64Fields: [] },
  { path: `${WORKER}StreamExecutionReports`, valid: () => streamBytes('momentum-kr'), streaming: true, int64Fields: [] },
  { path: `${WORKER}ResetFailSafe`, valid: resetBytes, streaming: false, int64Fields: [] },
  { path: `${GATEWAY}ListBrokers`, valid: () => Buffer.alloc(0), streaming: false, int64Fields: [] },
  { path: `${GATEWAY}GetBroker`, valid: () => bytesOf(qtsGatewayV1.GetBrokerRequest.encode({ brokerId: 'kis' })), streaming: false, int64Fields: [] },
  { path: `${GATEWAY}GetSymbols`, valid: () => bytesOf(qtsGatewayV1.GetSymbolsRequest.encode({ brokerId: 'kis' })), streaming: false, int64Fields: [] },
  {
    path: `${GATEWAY}GetCandles`,
    valid: () =>
      bytesOf(qtsGatewayV1.GetCandlesRequest.encode({ brokerId: 'kis', symbol: '005930', timeframe: '1d', startTime: '2024-01-02', endTime: '2024-01-05' })),
    streaming: true,
    int64Fields: [],
  },
  { path: `${GATEWAY}GetQuote`, valid: () => bytesOf(qtsGatewayV1.GetQuoteRequest.encode({ brokerId: 'kis', symbol: '005930' })), streaming: false, int64Fields: [] },
  { path: `${GATEWAY}StreamQuotes`, valid: () => bytesOf(qtsGatewayV1.StreamQuotesRequest.encode({ brokerId: 'kis', symbols: ['005930'] })), streaming: true, int64Fields: [] },
  {
    path: `${GATEWAY}GetBalance`,
    valid: () => bytesOf(qtsGatewayV1.GetBalanceRequest.encode({ brokerId: 'kis', accountId: PAPER_ACCOUNT })),
    streaming: false,
    int64Fields: [],
  },
  {
    path: `${GATEWAY}GetPositions`,
    valid: () => bytesOf(qtsGatewayV1.GetPositionsRequest.encode({ brokerId: 'kis', accountId: PAPER_ACCOUNT })),
    streaming: false,
    int64Fields: [],
  },
  { path: `${GATEWAY}PlaceOrder`, valid: () => placeOrderBytes(), streaming: false, int64Fields: [6] },
  { path: `${GATEWAY}GetOrder`, valid: () => bytesOf(qtsGatewayV1.GetOrderRequest.encode({ brokerId: 'kis', orderId: '1' })), streaming: false, int64Fields: [] },
  { path: `${GATEWAY}CancelOrder`, valid: () => bytesOf(qtsGatewayV1.CancelOrderRequest.encode({ brokerId: 'kis', orderId: '1' })), streaming: false, int64Fields: [] },
];

/** Runs `task` for 0..count-1 with at most `concurrency` at a time. */
async function inParallel(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

function tally(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

const statusName = (code: number): string => status[code] ?? String(code);

describe('security: the built gateway and worker probed as an attacker and an SRE would', () => {
  let platform: SecurityPlatform;
  let workerClient: RawGrpcClient;
  let gatewayClient: RawGrpcClient;
  const keys: Record<'momentum' | 'pairs' | 'reader' | 'submitter' | 'operator' | 'gatewayTrader', string> = {
    momentum: '',
    pairs: '',
    reader: '',
    submitter: '',
    operator: '',
    gatewayTrader: '',
  };
  /** Keys that must never appear in any log line. */
  const secrets: string[] = [ADMIN_API_KEY];
  /** Log lines of processes already stopped (the mTLS worker), for the final inspection. */
  const otherLogLines: string[] = [];
  const report: Record<string, unknown> = {};

  beforeAll(async () => {
    platform = await startSecurityPlatform();
    workerClient = new RawGrpcClient(platform.worker.grpcAddress);
    gatewayClient = new RawGrpcClient(platform.gateway.grpcAddress);
    const worker = platform.worker.httpUrl;
    keys.momentum = (await createApiKey(worker, '/admin/api-keys', { name: 'momentum', scopes: ['submit', 'read'], strategies: ['momentum-kr'] })).key;
    keys.pairs = (await createApiKey(worker, '/admin/api-keys', { name: 'pairs', scopes: ['submit', 'read'], strategies: ['pairs-kr'] })).key;
    keys.reader = (await createApiKey(worker, '/admin/api-keys', { name: 'reader', scopes: ['read'], strategies: ['momentum-kr'] })).key;
    keys.submitter = (await createApiKey(worker, '/admin/api-keys', { name: 'submitter', scopes: ['submit'], strategies: ['momentum-kr'] })).key;
    keys.operator = (await createApiKey(worker, '/admin/api-keys', { name: 'operator', scopes: ['admin', 'read'] })).key;
    keys.gatewayTrader = (await createApiKey(platform.gateway.httpUrl, '/api/v1/admin/api-keys', { name: 'trader', scopes: ['read', 'trade', 'admin'] })).key;
    secrets.push(...Object.values(keys));
  });

  afterAll(async () => {
    workerClient?.close();
    gatewayClient?.close();
    await platform?.stop();
    // The figures of the run, for the CI log and the issue's before/after comparison.
    console.log(`security suite (seed ${FUZZ_SEED}):\n${JSON.stringify(report, null, 2)}`);
  });

  it('authenticates every RPC of both services: no key and a wrong key are UNAUTHENTICATED, a gateway key is no worker key', async () => {
    const outcomes: Record<string, number> = {};
    for (const rpc of RPCS) {
      const worker = rpc.path.startsWith(WORKER);
      const client = worker ? workerClient : gatewayClient;
      const attempts: Array<[string, string | undefined]> = [
        ['no key', undefined],
        ['wrong key', 'qts_not-a-key-of-this-platform-0000000000'],
        ...(worker ? ([['a gateway key', keys.gatewayTrader]] as Array<[string, string]>) : []),
      ];
      for (const [attempt, key] of attempts) {
        const outcome = rpc.streaming ? await client.stream(rpc.path, rpc.valid(), key, 2_000) : await client.unary(rpc.path, rpc.valid(), key);
        tally(outcomes, `${attempt}: ${statusName(outcome.code)}`);
        expect({ rpc: rpc.path, attempt, code: statusName(outcome.code), messages: outcome.messages }).toEqual({
          rpc: rpc.path,
          attempt,
          code: 'UNAUTHENTICATED',
          messages: 0,
        });
      }
    }
    const admin = await fetch(`${platform.worker.httpUrl}/admin/api-keys`);
    expect(admin.status).toBe(401);
    report['unauthenticated calls to every RPC'] = outcomes;
  });

  it("keeps strategies apart: scopes, another strategy's intents, reports and the admin reset are refused", async () => {
    const outcomes: Record<string, string> = {};
    const refusedIds = ['cross-1', 'cross-2', 'cross-3'];
    const record = (name: string, outcome: CallOutcome) => {
      outcomes[name] = `${statusName(outcome.code)}${outcome.errorCode ? ` ${outcome.errorCode}` : ''}`;
      return outcome;
    };

    expect(record('SubmitIntent for another strategy', await workerClient.unary(`${WORKER}SubmitIntent`, submitIntentBytes('cross-1'), keys.pairs))).toMatchObject({
      code: status.PERMISSION_DENIED,
      errorCode: 'STRATEGY_NOT_PERMITTED',
    });
    expect(record('SubmitIntent with a read key', await workerClient.unary(`${WORKER}SubmitIntent`, submitIntentBytes('cross-2'), keys.reader))).toMatchObject({
      code: status.PERMISSION_DENIED,
      errorCode: 'INSUFFICIENT_SCOPE',
    });
    expect(record('SubmitIntent with a garbage key', await workerClient.unary(`${WORKER}SubmitIntent`, submitIntentBytes('cross-3'), 'garbage'))).toMatchObject({
      code: status.UNAUTHENTICATED,
    });
    expect(record('SubmitIntent for its own strategy', await workerClient.unary(`${WORKER}SubmitIntent`, submitIntentBytes('own-1'), keys.momentum))).toMatchObject({
      code: status.OK,
    });
    expect(record("GetIntent of another strategy's intent", await workerClient.unary(`${WORKER}GetIntent`, getIntentBytes('own-1'), keys.pairs))).toMatchObject({
      code: status.NOT_FOUND,
    });
    expect(record('GetIntent with a submit-only key', await workerClient.unary(`${WORKER}GetIntent`, getIntentBytes('own-1'), keys.submitter))).toMatchObject({
      code: status.PERMISSION_DENIED,
    });
    expect(record('GetIntent of its own intent', await workerClient.unary(`${WORKER}GetIntent`, getIntentBytes('own-1'), keys.reader))).toMatchObject({
      code: status.OK,
    });
    expect(
      record('StreamExecutionReports naming another strategy', await workerClient.stream(`${WORKER}StreamExecutionReports`, streamBytes('momentum-kr'), keys.pairs, 2_000)),
    ).toMatchObject({ code: status.PERMISSION_DENIED, errorCode: 'STRATEGY_NOT_PERMITTED' });
    expect(record('ResetFailSafe with a strategy key', await workerClient.unary(`${WORKER}ResetFailSafe`, resetBytes(), keys.momentum))).toMatchObject({
      code: status.PERMISSION_DENIED,
    });
    expect(record('ResetFailSafe with a stored admin key', await workerClient.unary(`${WORKER}ResetFailSafe`, resetBytes(), keys.operator))).toMatchObject({
      code: status.OK,
    });

    // An unfiltered stream of the pairs key sees none of momentum's reports, and its own.
    const seen: string[] = [];
    const stream = workerClient.stream(`${WORKER}StreamExecutionReports`, streamBytes(''), keys.pairs, 2_500, (message) => {
      const report = qtsExecutionV1.ExecutionReport.decode(message);
      seen.push(`${report.strategyId}/${report.intentId}`);
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await workerClient.unary(`${WORKER}SubmitIntent`, submitIntentBytes('own-2'), keys.momentum);
    await workerClient.unary(`${WORKER}SubmitIntent`, submitIntentBytes('pairs-1', { strategyId: 'pairs-kr' }), keys.pairs);
    await stream;
    outcomes['reports of another strategy streamed'] = String(seen.filter((entry) => !entry.startsWith('pairs-kr/')).length);
    expect(seen.filter((entry) => !entry.startsWith('pairs-kr/'))).toEqual([]);
    expect(seen).toContain('pairs-kr/pairs-1');

    // Nothing of a refused submission was stored or reached the broker.
    const orders = await platform.simulator.admin.listOrders('kis');
    const clientIds = new Set(orders.map((order) => order.clientOrderId));
    for (const id of refusedIds) {
      expect(clientIds.has(id)).toBe(false);
      expect((await workerClient.unary(`${WORKER}GetIntent`, getIntentBytes(id), keys.operator)).code).toBe(status.NOT_FOUND);
    }
    report['wrong-strategy and wrong-scope calls'] = outcomes;
  });

  it('bounds ids and quantities alike on every path, never echoing more than a prefix, never disturbing other calls', async () => {
    const outcomes: Record<string, string> = {};
    const describe = (outcome: CallOutcome) => `${statusName(outcome.code)} (${outcome.details.length} chars of details)`;
    for (const size of [60_000, 70_000, 100_000, 200_000]) {
      const bystanders = Array.from({ length: 20 }, (_, index) =>
        new Promise((resolve) => setTimeout(resolve, index * 3)).then(() => workerClient.unary(`${WORKER}GetIntent`, getIntentBytes('own-1'), keys.reader)),
      );
      const big = await workerClient.unary(`${WORKER}GetIntent`, getIntentBytes('x'.repeat(size)), keys.reader);
      const failed = (await Promise.all(bystanders)).filter((outcome) => outcome.code !== status.OK);
      outcomes[`GetIntent with a ${size / 1000} KB id`] = `${describe(big)}; bystanders failed: ${failed.length}/20`;
      expect([status.INVALID_ARGUMENT, status.RESOURCE_EXHAUSTED]).toContain(big.code);
      expect(big.details.length).toBeLessThan(200);
      expect(failed).toEqual([]);
    }
    const longId = await workerClient.unary(`${WORKER}SubmitIntent`, submitIntentBytes('L'.repeat(65_536)), keys.momentum);
    const wideId = await workerClient.unary(`${WORKER}SubmitIntent`, submitIntentBytes('w'.repeat(129)), keys.momentum);
    const quantity = await workerClient.unary(`${WORKER}SubmitIntent`, submitIntentBytes('qty-1', { quantity: 1_000_000_001, dryRun: true }), keys.momentum);
    const maxInt = await workerClient.unary(`${WORKER}SubmitIntent`, Buffer.concat([submitIntentBytes('qty-2'), varintField(7, 2n ** 63n - 1n)]), keys.momentum);
    const gatewayQuantity = await gatewayClient.unary(`${GATEWAY}PlaceOrder`, placeOrderBytes({ quantity: 1_000_000_001 }), keys.gatewayTrader);
    const gatewayMaxInt = await gatewayClient.unary(`${GATEWAY}PlaceOrder`, Buffer.concat([placeOrderBytes(), varintField(6, 2n ** 63n - 1n)]), keys.gatewayTrader);
    const gatewayKey = await gatewayClient.unary(`${GATEWAY}PlaceOrder`, placeOrderBytes({ idempotencyKey: 'k'.repeat(256) }), keys.gatewayTrader);
    const restQuantity = await fetch(`${platform.gateway.httpUrl}/api/v1/brokers/kis/accounts/${PAPER_ACCOUNT}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': keys.gatewayTrader },
      body: JSON.stringify({ symbol: '005930', side: 'BUY', orderType: 'MARKET', quantity: 1_000_000_001 }),
    });
    const restKey = await fetch(`${platform.gateway.httpUrl}/api/v1/brokers/kis/accounts/${PAPER_ACCOUNT}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': keys.gatewayTrader, 'idempotency-key': 'k'.repeat(256) },
      body: JSON.stringify({ symbol: '005930', side: 'BUY', orderType: 'MARKET', quantity: 1 }),
    });
    Object.assign(outcomes, {
      'SubmitIntent with a 65,536-character intent_id': describe(longId),
      'SubmitIntent with a 129-character intent_id': `${describe(wideId)}: ${wideId.details}`,
      'quantity 1,000,000,001 (worker, gateway gRPC, REST)': `${statusName(quantity.code)}, ${statusName(gatewayQuantity.code)}, ${restQuantity.status}`,
      'quantity 2^63-1 (worker, gateway gRPC)': `${maxInt.details} / ${gatewayMaxInt.details}`,
      'Idempotency-Key of 256 characters (gateway gRPC, REST)': `${statusName(gatewayKey.code)}, ${restKey.status}`,
    });
    expect([status.INVALID_ARGUMENT, status.RESOURCE_EXHAUSTED]).toContain(longId.code);
    expect(wideId).toMatchObject({ code: status.INVALID_ARGUMENT, details: 'intent_id must be at most 128 characters (got 129)' });
    expect(quantity).toMatchObject({ code: status.INVALID_ARGUMENT, details: 'quantity must be at most 1000000000' });
    expect(gatewayQuantity).toMatchObject({ code: status.INVALID_ARGUMENT, details: 'quantity must be at most 1000000000' });
    expect(restQuantity.status).toBe(400);
    expect(await restQuantity.json()).toMatchObject({ code: 'INVALID_ARGUMENT', message: 'quantity must be at most 1000000000' });
    for (const outcome of [maxInt, gatewayMaxInt]) {
      expect(outcome).toMatchObject({ code: status.INVALID_ARGUMENT, details: `quantity is beyond the safe integer range (±${Number.MAX_SAFE_INTEGER})` });
    }
    expect(gatewayKey.code).toBe(status.INVALID_ARGUMENT);
    expect(restKey.status).toBe(400);
    expect((await workerClient.unary(`${WORKER}GetIntent`, getIntentBytes('w'.repeat(129)), keys.operator)).code).toBe(status.INVALID_ARGUMENT);
    report['bounded input'] = outcomes;
  });

  it(`answers ${MALFORMED_BODIES} malformed REST bodies (deep nesting, prototype keys ...) without a 5xx or an echo`, async () => {
    const random = new SeededRandom(FUZZ_SEED);
    const targets = [
      { service: 'gateway', url: `${platform.gateway.httpUrl}/api/v1/brokers/kis/accounts/${PAPER_ACCOUNT}/orders`, key: keys.gatewayTrader },
      { service: 'gateway', url: `${platform.gateway.httpUrl}/api/v1/admin/api-keys`, key: ADMIN_API_KEY },
      { service: 'worker', url: `${platform.worker.httpUrl}/admin/fail-safe/reset`, key: ADMIN_API_KEY },
      { service: 'worker', url: `${platform.worker.httpUrl}/admin/api-keys`, key: keys.operator },
    ];
    const byStatus: Record<string, number> = {};
    const byKind: Record<string, Record<string, number>> = {};
    const faults: string[] = [];
    await inParallel(MALFORMED_BODIES, 8, async (index) => {
      const target = targets[index % targets.length] as (typeof targets)[number];
      const authenticated = Math.floor(index / targets.length) % 4 !== 3;
      const { kind, body, contentType } = malformedBody(Math.floor(index / targets.length), random);
      const headers: Record<string, string> = { 'content-type': contentType };
      if (authenticated) headers['x-api-key'] = target.key;
      const response = await fetch(target.url, { method: 'POST', headers, body });
      const text = await response.text();
      tally(byStatus, String(response.status));
      byKind[kind] ??= {};
      tally(byKind[kind] as Record<string, number>, String(response.status));
      const answer = JSON.parse(text) as { statusCode?: unknown; code?: unknown; message?: unknown };
      const problems = [
        response.status >= 500 && '5xx',
        !authenticated && response.status !== 401 && 'read without a key',
        authenticated && response.status < 400 && 'accepted',
        (typeof answer.code !== 'string' || answer.statusCode !== response.status || typeof answer.message !== 'string') && 'error shape',
        text.includes(ECHO_CANARY) && 'echo',
      ].filter(Boolean);
      if (problems.length > 0) faults.push(`${kind} -> ${target.url} (key: ${authenticated}): ${response.status} ${problems.join(', ')}: ${text.slice(0, 200)}`);
    });
    report['malformed REST bodies'] = { sent: MALFORMED_BODIES, byStatus, byKind };
    expect(faults).toEqual([]);
    expect(platform.gateway.exit).toBeUndefined();
    expect(platform.worker.exit).toBeUndefined();
  });

  it(`answers ${MALFORMED_MESSAGES_PER_RPC} malformed protobuf messages to every RPC of both services without INTERNAL, UNKNOWN or a failed bystander`, async () => {
    const random = new SeededRandom(FUZZ_SEED + 1);
    const byRpc: Record<string, Record<string, number>> = {};
    const faults: string[] = [];
    let done = false;
    const bystander = { calls: 0, failures: [] as string[] };
    // Valid calls on the same two connections for the whole run: none may fail.
    const bystanders = (async () => {
      while (!done) {
        const [list, get] = await Promise.all([
          gatewayClient.unary(`${GATEWAY}ListBrokers`, Buffer.alloc(0), keys.gatewayTrader),
          workerClient.unary(`${WORKER}GetIntent`, getIntentBytes('own-1'), keys.reader),
        ]);
        bystander.calls += 2;
        for (const outcome of [list, get]) if (outcome.code !== status.OK) bystander.failures.push(`${statusName(outcome.code)} ${outcome.details}`);
      }
    })();
    // A connection that opens and cancels a thousand streams within seconds is closed by the server's HTTP/2 layer
    // (GOAWAY INTERNAL_ERROR: nghttp2's rapid-reset protection, see docs/security.md). So the streaming calls go over
    // connections of their own, 50 each: a local subchannel pool per client, since grpc-js otherwise shares one
    // connection among all clients of the same address and options. Unary calls share the bystanders'.
    const streamConnections: RawGrpcClient[] = [];
    let streamsOnConnection = 0;
    const streamConnection = (address: string): RawGrpcClient => {
      if (streamConnections.length === 0 || streamsOnConnection >= STREAMS_PER_CONNECTION) {
        streamConnections.push(new RawGrpcClient(address, undefined, { 'grpc.use_local_subchannel_pool': 1 }));
        streamsOnConnection = 0;
      }
      streamsOnConnection += 1;
      return streamConnections[streamConnections.length - 1];
    };
    try {
      for (const rpc of RPCS) {
        const worker = rpc.path.startsWith(WORKER);
        const client = worker ? workerClient : gatewayClient;
        const address = worker ? platform.worker.grpcAddress : platform.gateway.grpcAddress;
        const key = !worker ? keys.gatewayTrader : rpc.path.endsWith('ResetFailSafe') ? keys.operator : keys.momentum;
        const counts: Record<string, number> = {};
        byRpc[rpc.path.slice(rpc.path.lastIndexOf('.') + 1)] = counts;
        const valid = rpc.valid();
        streamsOnConnection = STREAMS_PER_CONNECTION;
        await inParallel(MALFORMED_MESSAGES_PER_RPC, rpc.streaming ? 48 : 16, async () => {
          const bytes = malformedMessage(valid, random, rpc.int64Fields);
          const outcome = rpc.streaming
            ? await streamConnection(address).stream(rpc.path, bytes, key, 150)
            : await client.unary(rpc.path, bytes, key, 15_000);
          tally(counts, statusName(outcome.code));
          if (SERVER_FAULT_STATUSES.has(outcome.code)) faults.push(`${rpc.path} ${bytes.toString('hex').slice(0, 120)}: ${statusName(outcome.code)} ${outcome.details}`);
        });
      }
    } finally {
      done = true;
      await bystanders;
      for (const connection of streamConnections) connection.close();
    }
    const total: Record<string, number> = {};
    for (const counts of Object.values(byRpc)) for (const [name, count] of Object.entries(counts)) total[name] = (total[name] ?? 0) + count;
    report['malformed protobuf messages'] = {
      sent: MALFORMED_MESSAGES_PER_RPC * RPCS.length,
      byStatus: total,
      byRpc,
      bystanders: `${bystander.failures.length} of ${bystander.calls} failed`,
    };
    expect(faults).toEqual([]);
    expect(bystander.failures).toEqual([]);
    expect(platform.gateway.exit).toBeUndefined();
    expect(platform.worker.exit).toBeUndefined();
    // 15,000 calls: about a minute on an idle 2-core machine; bounded generously for a busy one.
  }, 300_000);

  it('sends security headers, no X-Powered-By, no-store on key creation, and answers CORS preflights from its allow-list', async () => {
    const headers: Record<string, unknown> = {};
    for (const app of [platform.gateway, platform.worker]) {
      const answer = await fetch(`${app.httpUrl}/health/live`);
      const created = await createApiKey(app.httpUrl, app === platform.gateway ? '/api/v1/admin/api-keys' : '/admin/api-keys', {
        name: 'headers',
        scopes: ['read'],
        ...(app === platform.worker ? { strategies: ['momentum-kr'] } : {}),
      });
      secrets.push(created.key);
      headers[app.name] = {
        'x-powered-by': answer.headers.get('x-powered-by'),
        'x-content-type-options': answer.headers.get('x-content-type-options'),
        'x-frame-options': answer.headers.get('x-frame-options'),
        'content-security-policy': answer.headers.get('content-security-policy'),
        'key creation cache-control': created.cacheControl,
      };
      expect(answer.headers.get('x-powered-by')).toBeNull();
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(created.cacheControl).toBe('no-store');
    }
    const preflight = (base: string, origin: string) =>
      fetch(`${base}/api/v1/brokers`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-api-key' } });
    const allowed = await preflight(platform.gateway.httpUrl, CONSOLE_ORIGIN);
    const foreign = await preflight(platform.gateway.httpUrl, 'https://evil.example');
    const worker = await preflight(platform.worker.httpUrl, CONSOLE_ORIGIN);
    headers['CORS preflight (gateway: listed origin, other origin; worker: none listed)'] = [allowed, foreign, worker].map(
      (answer) => `${answer.status} ${answer.headers.get('access-control-allow-origin') ?? '-'}`,
    );
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(CONSOLE_ORIGIN);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('X-API-Key');
    for (const refused of [foreign, worker]) {
      expect(refused.status).toBe(204);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    }
    report['headers'] = headers;
  });

  it('keeps account numbers out of both services’ metrics', async () => {
    const metrics = await Promise.all([platform.gateway, platform.worker].map(async (app) => (await fetch(`${app.httpUrl}/metrics`)).text()));
    report['metrics carrying the account number'] = metrics.map((text) => text.includes(PAPER_ACCOUNT));
    for (const text of metrics) {
      expect(text).not.toContain(PAPER_ACCOUNT);
      expect(text).not.toContain('account_id=');
    }
    expect(metrics[1]).toMatch(/execution_worker_fail_safe_tripped\{broker_id="kis",account="1"\} 0/);
  });

  it('logs a broker outage once per state change: 503s are neither errors nor stack traces', async () => {
    const before = platform.gateway.lines().length;
    let requests = 0;
    let unavailable = 0;
    let stop = false;
    const load = (async () => {
      while (!stop) {
        const response = await fetch(`${platform.gateway.httpUrl}/api/v1/brokers/kis/quotes/005930`, { headers: { 'x-api-key': keys.gatewayTrader } });
        await response.arrayBuffer();
        requests += 1;
        if (response.status === 503) unavailable += 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    await platform.simulator.stop();
    await waitFor(async () => unavailable >= 50, { timeoutMs: 20_000, description: '50 answers 503 during the outage' });
    await platform.simulator.restart();
    await waitFor(async () => (await fetch(`${platform.gateway.httpUrl}/health/ready`)).status === 200, { timeoutMs: 20_000, description: 'gateway ready again' });
    stop = true;
    await load;
    const lines = platform.gateway.lines().slice(before);
    const errorLines = lines.filter((line) => /"level":(50|60)/.test(line));
    const stackLines = lines.filter((line) => line.includes('"stack"'));
    const stateChanges = lines.filter((line) => line.includes("Broker 'kis'"));
    // At LOG_LEVEL=warn (the per-request access lines are info) an outage is its state changes, nothing else.
    const warnOrAbove = lines.filter((line) => /"level":(40|50|60)/.test(line));
    report['broker outage'] = {
      requests,
      answered503: unavailable,
      logLines: lines.length,
      linesAtWarnOrAbove: warnOrAbove.length,
      errorLevelLines: errorLines.length,
      linesWithStack: stackLines.length,
      stateChangeLines: stateChanges.length,
    };
    expect(warnOrAbove.filter((line) => !line.includes("Broker 'kis'"))).toEqual([]);
    expect(errorLines).toEqual([]);
    expect(stackLines).toEqual([]);
    expect(stateChanges.some((line) => line.includes('-> DISCONNECTED'))).toBe(true);
    expect(stateChanges.some((line) => line.includes('-> CONNECTED'))).toBe(true);
    expect(stateChanges.length).toBeLessThanOrEqual(6);
  });

  it('serves gRPC over mutual TLS when GRPC_TLS_* are set: plaintext and strangers are refused', async () => {
    const certificates = createTestCertificates();
    const worker = await startBuiltApp('execution-worker', 'mtls-worker', {
      BROKERS_CONFIG: platform.brokersConfig,
      DATABASE_URL: `sqlite:${platform.folder}/mtls-worker.sqlite`,
      ADMIN_API_KEY,
      LOG_LEVEL: 'info',
      RATE_LIMIT_MODE: 'memory',
      GRPC_TLS_CERT_FILE: certificates.serverCertFile,
      GRPC_TLS_KEY_FILE: certificates.serverKeyFile,
      GRPC_TLS_CLIENT_CA_FILE: certificates.caFile,
    });
    const ca = certificates.read(certificates.caFile);
    const options = { 'grpc.ssl_target_name_override': 'localhost' };
    const attempt = async (channel: Parameters<typeof credentials.createSsl> | 'plaintext') => {
      const client = new RawGrpcClient(worker.grpcAddress, channel === 'plaintext' ? credentials.createInsecure() : credentials.createSsl(...channel), options);
      try {
        return (await client.unary(`${WORKER}GetIntent`, getIntentBytes('mtls-1'), ADMIN_API_KEY, 5_000)).code;
      } finally {
        client.close();
      }
    };
    try {
      const outcomes = {
        plaintext: statusName(await attempt('plaintext')),
        'TLS without a client certificate': statusName(await attempt([ca])),
        'a client certificate of another CA': statusName(await attempt([ca, certificates.read(certificates.strangerKeyFile), certificates.read(certificates.strangerCertFile)])),
        'a client certificate of the configured CA': statusName(await attempt([ca, certificates.read(certificates.clientKeyFile), certificates.read(certificates.clientCertFile)])),
      };
      report['worker gRPC with mutual TLS'] = outcomes;
      expect(outcomes).toEqual({
        plaintext: 'UNAVAILABLE',
        'TLS without a client certificate': 'UNAVAILABLE',
        'a client certificate of another CA': 'UNAVAILABLE',
        'a client certificate of the configured CA': 'NOT_FOUND',
      });
    } finally {
      await worker.stop();
      otherLogLines.push(...worker.lines());
      certificates.remove();
    }
  });

  it('never logs a key or a secret, not even one sent in a query string', async () => {
    await (await fetch(`${platform.gateway.httpUrl}/api/v1/brokers?api_key=${keys.gatewayTrader}`, { headers: { 'x-api-key': keys.gatewayTrader } })).arrayBuffer();
    await (await fetch(`${platform.worker.httpUrl}/admin/api-keys?token=${keys.operator}&x=${ADMIN_API_KEY}`, { headers: { 'x-api-key': keys.operator } })).arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = [...platform.gateway.lines(), ...platform.worker.lines(), ...otherLogLines];
    const leaks = lines.filter((line) => secrets.some((secret) => line.includes(secret)) || line.includes(ECHO_CANARY));
    report['log inspection'] = { linesScanned: lines.length, secretsLookedFor: secrets.length, linesWithASecret: leaks.length };
    expect(lines.some((line) => line.includes('api_key=[REDACTED]'))).toBe(true);
    expect(leaks).toEqual([]);
    expect(platform.gateway.exit).toBeUndefined();
    expect(platform.worker.exit).toBeUndefined();
  });
});
