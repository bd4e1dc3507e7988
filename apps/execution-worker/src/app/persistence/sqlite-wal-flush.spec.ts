import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteWalFlush } from './sqlite-wal-flush';

jest.mock('node:fs/promises', () => {
  const actual = jest.requireActual<typeof import('node:fs/promises')>('node:fs/promises');
  return { ...actual, open: jest.fn(actual.open) };
});

const open = fsPromises.open as jest.MockedFunction<typeof fsPromises.open>;
const realOpen = jest.requireActual<typeof import('node:fs/promises')>('node:fs/promises').open;

interface ControlledHandle {
  handle: fsPromises.FileHandle;
  syncs: Array<{ resolve: () => void; reject: (error: Error) => void }>;
}

/** A handle whose datasync calls wait until the test ends them, in order. */
function controlledHandle(): ControlledHandle {
  const syncs: ControlledHandle['syncs'] = [];
  const handle = {
    datasync: () => new Promise<void>((resolve, reject) => syncs.push({ resolve, reject })),
    close: jest.fn(async () => undefined),
  } as unknown as fsPromises.FileHandle;
  return { handle, syncs };
}

async function turn(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}

describe('SqliteWalFlush', () => {
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'qts-wal-flush-'));
    open.mockReset();
    open.mockImplementation(realOpen);
  });

  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('syncs the WAL file of a real database folder', async () => {
    const wal = join(folder, 'worker.sqlite-wal');
    writeFileSync(wal, 'frames');
    const flush = new SqliteWalFlush(wal);

    await expect(flush.flush()).resolves.toBeUndefined();
    await flush.flush();
    await flush.close();

    expect(open).toHaveBeenCalledTimes(1);
  });

  it('answers a call made during a flush only with the next flush, and lets every such call share it', async () => {
    const controlled = controlledHandle();
    open.mockResolvedValue(controlled.handle);
    const flush = new SqliteWalFlush(join(folder, 'db-wal'));
    const done: string[] = [];

    const first = flush.flush().then(() => done.push('first'));
    await turn();
    const second = flush.flush().then(() => done.push('second'));
    const third = flush.flush().then(() => done.push('third'));
    await turn();
    expect(controlled.syncs).toHaveLength(1);

    controlled.syncs[0]?.resolve();
    await first;
    await turn();
    // The first sync may have started before the frames of the later calls were written: they wait for another.
    expect(done).toEqual(['first']);
    expect(controlled.syncs).toHaveLength(2);

    controlled.syncs[1]?.resolve();
    await Promise.all([second, third]);
    expect(done).toEqual(['first', 'second', 'third']);
  });

  it('fails the calls of a failed sync, and opens the file again for the next one', async () => {
    const broken = controlledHandle();
    const healthy = controlledHandle();
    open.mockResolvedValueOnce(broken.handle).mockResolvedValueOnce(healthy.handle);
    const flush = new SqliteWalFlush(join(folder, 'db-wal'));

    const failing = flush.flush();
    await turn();
    broken.syncs[0]?.reject(new Error('EIO: i/o error, fdatasync'));
    await expect(failing).rejects.toThrow('EIO');

    const next = flush.flush();
    await turn();
    healthy.syncs[0]?.resolve();
    await expect(next).resolves.toBeUndefined();
    expect(open).toHaveBeenCalledTimes(2);
    expect(broken.handle.close).toHaveBeenCalled();
  });

  it('fails when the WAL file cannot be opened, and tries again next time', async () => {
    const flush = new SqliteWalFlush(join(folder, 'missing-wal'));
    await expect(flush.flush()).rejects.toMatchObject({ code: 'ENOENT' });
    writeFileSync(join(folder, 'missing-wal'), 'frames');
    await expect(flush.flush()).resolves.toBeUndefined();
    await flush.close();
  });
});
