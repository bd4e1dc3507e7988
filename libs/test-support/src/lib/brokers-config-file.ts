import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { removeOnExit } from './process-exit-cleanup';
import { accountsOf, presetOf } from './simulator-broker-spec';
import type { SimulatorBrokerSpec } from './simulator-broker-spec';

export interface WriteBrokersConfigOptions {
  /** grpc.host of every broker; default 127.0.0.1. */
  host?: string;
}

/**
 * Writes a temporary brokers.yaml in the shape of config/brokers.yaml (id, type, grpc, rateLimit,
 * required, accounts) with each broker on `ports[id]`, and returns its path (for BROKERS_CONFIG or the
 * simulator's --config). The folder is removed when the test process exits.
 */
export async function writeBrokersConfig(
  brokers: readonly SimulatorBrokerSpec[],
  ports: Readonly<Record<string, number>>,
  options: WriteBrokersConfigOptions = {},
): Promise<string> {
  const host = options.host ?? '127.0.0.1';
  const document = {
    brokers: brokers.map((broker) => {
      const port = ports[broker.id];
      if (!Number.isInteger(port)) {
        throw new Error(`writeBrokersConfig: no port for broker '${broker.id}'`);
      }
      return {
        id: broker.id,
        type: broker.type,
        grpc: { host, port },
        rateLimit: { preset: presetOf(broker) },
        required: broker.required ?? true,
        accounts: accountsOf(broker).map((account, index) => ({
          id: account.id,
          name: account.name ?? `${account.type === 'REAL' ? 'real' : 'paper'} account ${account.id}`,
          type: account.type,
          default: index === 0,
        })),
      };
    }),
  };
  const dir = await mkdtemp(path.join(tmpdir(), 'qts-brokers-'));
  removeOnExit(dir);
  const file = path.join(dir, 'brokers.yaml');
  await writeFile(file, stringify(document), 'utf8');
  return file;
}
