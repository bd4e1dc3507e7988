import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { writeBrokersConfig } from './brokers-config-file';
import { DEFAULT_SIMULATOR_BROKERS } from './simulator-broker-spec';

describe('writeBrokersConfig', () => {
  it('writes a brokers.yaml in the shape of config/brokers.yaml with the given ports', async () => {
    const file = await writeBrokersConfig(
      [
        ...DEFAULT_SIMULATOR_BROKERS,
        { id: 'creon', type: 'CREON', required: false },
        { id: 'live', type: 'KIS', accounts: [{ id: 'R-1', type: 'REAL', name: '실전' }, { id: 'P-1', type: 'PAPER' }] },
        { id: 'kiwoom', type: 'KIWOOM', preset: 'none' },
      ],
      { kis: 41001, creon: 41002, live: 41003, kiwoom: 41004 },
    );

    expect(file).toMatch(/qts-brokers-.*brokers\.yaml$/);
    expect(parse(await readFile(file, 'utf8'))).toEqual({
      brokers: [
        {
          id: 'kis',
          type: 'KIS',
          grpc: { host: '127.0.0.1', port: 41001 },
          rateLimit: { preset: 'kis-paper' },
          required: true,
          accounts: [{ id: '50012345-01', name: 'paper account 50012345-01', type: 'PAPER', default: true }],
        },
        {
          id: 'creon',
          type: 'CREON',
          grpc: { host: '127.0.0.1', port: 41002 },
          rateLimit: { preset: 'creon' },
          required: false,
          accounts: [{ id: '12345678', name: 'paper account 12345678', type: 'PAPER', default: true }],
        },
        {
          id: 'live',
          type: 'KIS',
          grpc: { host: '127.0.0.1', port: 41003 },
          rateLimit: { preset: 'kis-real' },
          required: true,
          accounts: [
            { id: 'R-1', name: '실전', type: 'REAL', default: true },
            { id: 'P-1', name: 'paper account P-1', type: 'PAPER', default: false },
          ],
        },
        {
          id: 'kiwoom',
          type: 'KIWOOM',
          grpc: { host: '127.0.0.1', port: 41004 },
          rateLimit: { preset: 'none' },
          required: true,
          accounts: [{ id: '5012345601', name: 'paper account 5012345601', type: 'PAPER', default: true }],
        },
      ],
    });
  });

  it('names a broker without a port', async () => {
    await expect(writeBrokersConfig(DEFAULT_SIMULATOR_BROKERS, {})).rejects.toThrow("writeBrokersConfig: no port for broker 'kis'");
  });

  it('writes another host when asked', async () => {
    const file = await writeBrokersConfig(DEFAULT_SIMULATOR_BROKERS, { kis: 1 }, { host: '10.0.0.5' });

    expect(parse(await readFile(file, 'utf8')).brokers[0].grpc).toEqual({ host: '10.0.0.5', port: 1 });
  });
});
