import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AccountType, BrokerType } from '@qts/broker-domain';
import { findRepositoryRoot, startSimulatorProcess, TEST_ACCOUNTS, type SimulatorProcess } from '@qts/test-support';
import { scratchDir, startWorkerProcess, writeWorkerBrokersConfig, type WorkerProcess } from '../../test/worker-process';

const ROOT = findRepositoryRoot(__dirname);
const EXAMPLE = join(ROOT, 'docs', 'examples', 'python', 'submit_intent.py');
/** Debian's interpreter, the one python3-grpcio installs into (a python3 earlier in PATH may lack grpc). */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const GRPC_PYTHON_PLUGIN = '/usr/bin/grpc_python_plugin';

interface ClientLine {
  event: string;
  intent_id?: string;
  status?: string;
  pending_reason?: string;
  fail_safe_code?: string;
  accepted?: boolean;
  duplicate?: boolean;
  expires_at?: string;
  message?: string;
}

/** Creates a key of the worker through its admin API, as an operator does; answers the key itself. */
async function createWorkerKey(worker: WorkerProcess, body: { name: string; scopes: string[]; strategies: string[] }): Promise<string> {
  const response = await fetch(`${worker.httpUrl}/admin/api-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': worker.adminApiKey },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`creating key ${body.name}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { key: string }).key;
}

/**
 * Runs the documented Python client (bounded) with `key` in QTS_WORKER_KEY, as the docs run it, and returns its exit
 * code and JSON lines.
 */
function runClient(stubs: string, key: string, args: string[]): Promise<{ code: number | null; lines: ClientLine[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [EXAMPLE, ...args], {
      env: { PATH: process.env['PATH'], PYTHONPATH: stubs, PYTHONDONTWRITEBYTECODE: '1', QTS_WORKER_KEY: key },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      const lines = stdout
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as ClientLine);
      resolve({ code, lines, stderr });
    });
  });
}

describe('the Python grpcio client of the docs (docs/examples/python/submit_intent.py) against the real worker', () => {
  let simulator: SimulatorProcess;
  let worker: WorkerProcess;
  let stubs: string;
  /** The strategy's key: submit and read, bound to momentum-kr (the client's default strategy). */
  let strategyKey: string;

  beforeAll(async () => {
    // The stubs exactly as the docs generate them (Debian: protobuf-compiler, protobuf-compiler-grpc, python3-grpcio).
    stubs = join(scratchDir('python-stubs-'), 'gen');
    mkdirSync(stubs, { recursive: true });
    const generated = spawnSync(
      'protoc',
      [
        '-I',
        join(ROOT, 'proto'),
        `--python_out=${stubs}`,
        `--grpc_out=${stubs}`,
        `--plugin=protoc-gen-grpc=${GRPC_PYTHON_PLUGIN}`,
        'qts/execution/v1/execution.proto',
        'qts/type/v1/order.proto',
      ],
      { encoding: 'utf8' },
    );
    if (generated.status !== 0) throw new Error(`protoc failed: ${generated.error?.message ?? generated.stderr}`);

    simulator = await startSimulatorProcess({
      brokers: [{ id: 'kis', type: BrokerType.KIS, preset: 'none', accounts: [{ id: TEST_ACCOUNTS.paper, type: AccountType.PAPER }] }],
    });
    const dir = scratchDir('worker-python-');
    worker = await startWorkerProcess({
      brokersConfig: writeWorkerBrokersConfig(simulator, dir),
      databaseUrl: `sqlite:${join(dir, 'worker.sqlite')}`,
      env: {
        BROKER_DEADLINE_MS: '2000',
        WORKER_RECONCILE_INITIAL_DELAY_MS: '100',
        WORKER_RECONCILE_MAX_DELAY_MS: '250',
        WORKER_OPEN_ORDER_POLL_MS: '0',
      },
    });
    strategyKey = await createWorkerKey(worker, { name: 'momentum engine', scopes: ['submit', 'read'], strategies: ['momentum-kr'] });
  });

  afterAll(async () => {
    await worker?.stop();
    await simulator?.stop();
  });

  it('gets PENDING within its 1 s deadline from a slow broker, then follows the intent to FILLED', async () => {
    // The simulator places the order and answers 4 s later: past the client's deadline and the worker's (2 s).
    await simulator.admin.setFaults('kis', { latency: { latencyMs: 4_000, rpcs: ['PlaceOrder'] } });
    const args = ['--address', worker.grpcAddress, '--intent-id', 'py-1', '--symbol', '001510', '--market'];

    const run = await runClient(stubs, strategyKey, [...args, '--max-delay-ms', '3000', '--deadline-s', '1']);

    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    console.log(run.lines.map((l) => JSON.stringify(l)).join('\n'));
    const [answer, ...rest] = run.lines;
    expect(answer).toMatchObject({
      event: 'answer',
      intent_id: 'py-1',
      status: 'ORDER_STATUS_PENDING',
      pending_reason: 'PENDING_REASON_AWAITING_BROKER',
      fail_safe_code: '',
      accepted: false,
      duplicate: false,
    });
    expect(Date.parse(answer.expires_at ?? '')).not.toBeNaN();
    const reports = rest.filter((line) => line.event === 'report').map((line) => line.status);
    expect(reports.at(-1)).toBe('ORDER_STATUS_FILLED');
    expect(rest.at(-1)).toMatchObject({ event: 'outcome', status: 'ORDER_STATUS_FILLED', accepted: true, fail_safe_code: '' });

    // The same intent again: the stored outcome at once, nothing sent a second time.
    await simulator.admin.clearFaults('kis');
    const again = await runClient(stubs, strategyKey, args);
    expect(again.code).toBe(0);
    expect(again.lines[0]).toMatchObject({ event: 'answer', duplicate: true, status: 'ORDER_STATUS_FILLED' });
    expect((await simulator.admin.listOrders('kis')).filter((order) => order.clientOrderId === 'py-1')).toHaveLength(1);
  });

  it('is told INVALID_ARGUMENT (exit 2) for a malformed intent', async () => {
    const run = await runClient(stubs, strategyKey, ['--address', worker.grpcAddress, '--intent-id', 'py-bad', '--quantity', '0']);

    expect(run.code).toBe(2);
    expect(run.lines).toEqual([expect.objectContaining({ event: 'error', code: 'INVALID_ARGUMENT' })]);
  });

  it('is refused (exit 3) without a key and with a key of another strategy, and nothing is sent', async () => {
    const otherKey = await createWorkerKey(worker, { name: 'pairs engine', scopes: ['submit', 'read'], strategies: ['pairs-kr'] });
    const args = ['--address', worker.grpcAddress, '--intent-id', 'py-foreign', '--symbol', '005930', '--market'];

    const anonymous = await runClient(stubs, '', args);
    const foreign = await runClient(stubs, otherKey, args);

    expect({ code: anonymous.code, lines: anonymous.lines }).toEqual({
      code: 3,
      lines: [expect.objectContaining({ event: 'error', code: 'UNAUTHENTICATED' })],
    });
    expect({ code: foreign.code, lines: foreign.lines }).toEqual({
      code: 3,
      lines: [expect.objectContaining({ event: 'error', code: 'PERMISSION_DENIED' })],
    });
    expect((await simulator.admin.listOrders('kis')).filter((order) => order.clientOrderId === 'py-foreign')).toEqual([]);
  });
});
