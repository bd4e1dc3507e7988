import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { SimulatedRestBroker } from '../broker/simulated-rest-broker';
import type { InjectedFailure } from '../faults/rest-faults';
import { Answer, json, readJsonBody, send } from '../http/http-exchange';

/**
 * The admin API, on its own port so that it stays up while brokers are down:
 *   GET  /admin/stats                               every broker: requests, violations, tokens, orders, faults
 *   POST /admin/brokers/:id/faults                  { latency, errorRate, failNext, stall } (each replaces its kind)
 *   POST /admin/brokers/:id/clear-faults            clears every fault; releases stalled requests
 *   POST /admin/brokers/:id/down | /up              closes / reopens the broker port (same port)
 *   POST /admin/brokers/:id/expire-tokens           every issued token expires now
 *   POST /admin/brokers/:id/reset-stats             { resetRateWindows } zeroes the counters
 *   GET  /admin/brokers/:id/orders                  the broker's orders with their numbers
 * `:id` may be `*` for every broker.
 */
export class AdminApi {
  private server?: Server;
  private boundPort = 0;

  constructor(private readonly brokers: ReadonlyMap<string, SimulatedRestBroker>) {}

  get port(): number {
    return this.boundPort;
  }

  async listen(host: string, port: number): Promise<void> {
    const server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) =>
        send(response, json(500, { error: error instanceof Error ? error.message : String(error) })),
      );
    });
    await new Promise<void>((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException) =>
        reject(new Error(`admin API: cannot listen on ${host}:${port} (${error.code ?? error.message})`));
      server.once('error', failed);
      server.listen({ host, port, exclusive: true }, () => {
        server.off('error', failed);
        resolve();
      });
    });
    const address = server.address();
    this.boundPort = typeof address === 'object' && address !== null ? address.port : port;
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://admin').pathname;
    if (request.method === 'GET' && path === '/admin/stats') {
      send(response, json(200, { brokers: Object.fromEntries([...this.brokers].map(([id, broker]) => [id, broker.stats()])) }));
      return;
    }
    const match = /^\/admin\/brokers\/([^/]+)\/([a-z-]+)$/.exec(path);
    if (match === null) {
      send(response, json(404, { error: `no ${request.method} ${path}` }));
      return;
    }
    const [, id, action] = match;
    const targets = id === '*' ? [...this.brokers.values()] : [this.brokers.get(id)].filter((broker) => broker !== undefined);
    if (targets.length === 0) {
      send(response, json(404, { error: `no broker '${id}'` }));
      return;
    }
    const body = request.method === 'POST' ? await readJsonBody(request) : undefined;
    if (body === 'invalid') {
      send(response, json(400, { error: 'the body must be a JSON object' }));
      return;
    }
    send(response, await this.act(targets as SimulatedRestBroker[], request.method ?? '', action, body ?? {}));
  }

  private async act(targets: SimulatedRestBroker[], method: string, action: string, body: Record<string, unknown>): Promise<Answer> {
    const each = async (apply: (broker: SimulatedRestBroker) => unknown): Promise<Answer> => {
      const results: Record<string, unknown> = {};
      for (const broker of targets) {
        results[broker.id] = await apply(broker);
      }
      return json(200, { brokers: results });
    };
    if (method === 'GET' && action === 'orders') {
      return each((broker) =>
        broker.state.ledger.list().map((entry) => ({
          ...entry,
          price: entry.price?.toFixed(),
          orderedAt: entry.orderedAt.toISOString(),
        })),
      );
    }
    if (method !== 'POST') {
      return json(405, { error: `${action} needs POST` });
    }
    switch (action) {
      case 'faults': {
        const problem = validateFaults(body);
        if (problem !== undefined) return json(400, { error: problem });
        return each((broker) => {
          applyFaults(broker, body);
          return broker.faults.snapshot();
        });
      }
      case 'clear-faults':
        return each((broker) => {
          broker.faults.clear();
          return broker.faults.snapshot();
        });
      case 'down':
        return each(async (broker) => {
          await broker.down();
          return { up: false };
        });
      case 'up':
        return each(async (broker) => {
          await broker.up();
          return { up: true, port: broker.port };
        });
      case 'expire-tokens':
        return each((broker) => ({ expired: broker.expireTokens() }));
      case 'reset-stats':
        return each((broker) => {
          broker.resetStats(body['resetRateWindows'] === true);
          return broker.stats();
        });
      default:
        return json(404, { error: `no action '${action}'` });
    }
  }
}

type FaultBody = Record<string, unknown>;

const apisOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

function failureOf(value: FaultBody): InjectedFailure {
  const status = typeof value['status'] === 'number' ? value['status'] : 500;
  return { status, ...(typeof value['brokerCode'] === 'string' ? { brokerCode: value['brokerCode'] } : {}) };
}

/** The problem with a faults body, named; undefined when it can be applied. */
export function validateFaults(body: FaultBody): string | undefined {
  for (const key of Object.keys(body)) {
    if (!['latency', 'errorRate', 'failNext', 'stall'].includes(key)) {
      return `${key} is not a fault (latency, errorRate, failNext, stall)`;
    }
  }
  const object = (key: string) => body[key] as FaultBody | undefined;
  const latency = object('latency');
  if (latency !== undefined && !(typeof latency['latencyMs'] === 'number' && latency['latencyMs'] >= 0)) {
    return 'latency.latencyMs must be a non-negative number';
  }
  const errorRate = object('errorRate');
  if (errorRate !== undefined && !(typeof errorRate['rate'] === 'number' && errorRate['rate'] >= 0 && errorRate['rate'] <= 1)) {
    return 'errorRate.rate must be a number between 0 and 1';
  }
  const failNext = object('failNext');
  if (failNext !== undefined && !(Number.isInteger(failNext['count']) && (failNext['count'] as number) >= 0)) {
    return 'failNext.count must be a non-negative integer';
  }
  for (const [key, value] of [['errorRate', errorRate], ['failNext', failNext]] as const) {
    const status = value?.['status'];
    if (status !== undefined && !(Number.isInteger(status) && (status as number) >= 400 && (status as number) <= 599)) {
      return `${key}.status must be an HTTP error status (400-599)`;
    }
  }
  return undefined;
}

function applyFaults(broker: SimulatedRestBroker, body: FaultBody): void {
  const latency = body['latency'] as FaultBody | undefined;
  if (latency !== undefined) broker.faults.setLatency(latency['latencyMs'] as number, apisOf(latency['apis']));
  const errorRate = body['errorRate'] as FaultBody | undefined;
  if (errorRate !== undefined) broker.faults.setErrorRate(errorRate['rate'] as number, failureOf(errorRate), apisOf(errorRate['apis']));
  const failNext = body['failNext'] as FaultBody | undefined;
  if (failNext !== undefined) broker.faults.setFailNext(failNext['count'] as number, failureOf(failNext), apisOf(failNext['apis']));
  if ('stall' in body) {
    const stall = body['stall'] as FaultBody | null;
    broker.faults.setStall(stall === null ? undefined : apisOf(stall['apis']));
  }
}
