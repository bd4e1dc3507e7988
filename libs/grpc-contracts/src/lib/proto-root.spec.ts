import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findProtoRoot, PROTO_ROOT } from './proto-root';

const REPO_PROTO = path.resolve(__dirname, '../../../../proto');

describe('PROTO_ROOT', () => {
  it('is the repository proto/ folder when running from source', () => {
    expect(PROTO_ROOT).toBe(REPO_PROTO);
  });
});

describe('findProtoRoot', () => {
  let scratch: string;

  beforeEach(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'proto-root-'));
  });

  afterEach(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('prefers proto/ next to a bundle, where the build copies it beside main.js', () => {
    const bundleDir = path.join(scratch, 'dist', 'apps', 'gateway-api');
    cpSync(REPO_PROTO, path.join(bundleDir, 'proto'), { recursive: true });

    expect(findProtoRoot(bundleDir)).toBe(path.join(bundleDir, 'proto'));
  });

  it('walks up the parent folders to the nearest proto root', () => {
    cpSync(REPO_PROTO, path.join(scratch, 'proto'), { recursive: true });
    const deep = path.join(scratch, 'libs', 'grpc-contracts', 'src', 'lib');
    mkdirSync(deep, { recursive: true });

    expect(findProtoRoot(deep)).toBe(path.join(scratch, 'proto'));
  });

  it('skips a folder named proto that does not hold the contracts', () => {
    const bundleDir = path.join(scratch, 'app');
    mkdirSync(path.join(bundleDir, 'proto'), { recursive: true });
    writeFileSync(path.join(bundleDir, 'proto', 'other.proto'), 'syntax = "proto3";');
    cpSync(REPO_PROTO, path.join(scratch, 'proto'), { recursive: true });

    expect(findProtoRoot(bundleDir)).toBe(path.join(scratch, 'proto'));
  });

  it('returns undefined when no proto root exists up to the filesystem root', () => {
    expect(findProtoRoot(scratch)).toBeUndefined();
  });
});
