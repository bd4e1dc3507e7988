import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError } from './config-validation-error';
import { loadPlatformConfig } from './load-platform-config';

const repoRoot = join(__dirname, '../../../..');

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadPlatformConfig({ env, cwd: repoRoot });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return [...(error as ConfigValidationError).problems];
  }
  throw new Error('expected the environment to be refused');
}

describe('security settings', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'security-settings-'));
    for (const name of ['server.crt', 'server.key', 'clients-ca.crt']) writeFileSync(join(dir, name), 'pem');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('default to loopback, no CORS origin and plaintext gRPC', () => {
    const config = loadPlatformConfig({ env: {}, cwd: repoRoot });
    expect(config.bindHost).toBe('127.0.0.1');
    expect(config.security).toEqual({ corsAllowedOrigins: [] });
  });

  it('read the CORS allow-list and the TLS files, relative paths from the working directory', () => {
    const config = loadPlatformConfig({
      cwd: dir,
      env: {
        BROKERS_CONFIG: join(repoRoot, 'config/brokers.yaml'),
        CORS_ALLOWED_ORIGINS: 'https://console.example.com, http://127.0.0.1:8080',
        GRPC_TLS_CERT_FILE: 'server.crt',
        GRPC_TLS_KEY_FILE: join(dir, 'server.key'),
        GRPC_TLS_CLIENT_CA_FILE: 'clients-ca.crt',
      },
    });
    expect(config.security).toEqual({
      corsAllowedOrigins: ['https://console.example.com', 'http://127.0.0.1:8080'],
      grpcTls: { certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key'), clientCaFile: join(dir, 'clients-ca.crt') },
    });
  });

  it.each([
    [{ CORS_ALLOWED_ORIGINS: 'https://console.example.com/' }, 'CORS_ALLOWED_ORIGINS must list origins'],
    [{ CORS_ALLOWED_ORIGINS: '*' }, 'CORS_ALLOWED_ORIGINS must list origins'],
    [{ CORS_ALLOWED_ORIGINS: 'ftp://files.example.com' }, 'CORS_ALLOWED_ORIGINS must list origins'],
    [{ GRPC_TLS_CERT_FILE: '/nonexistent/server.crt', GRPC_TLS_KEY_FILE: '/nonexistent/server.key' }, 'GRPC_TLS_CERT_FILE: no file at /nonexistent/server.crt'],
  ])('refuse %p naming the variable', (env, problem) => {
    expect(problemsOf(env as NodeJS.ProcessEnv).join('\n')).toContain(problem);
  });

  it('refuse half a TLS configuration', () => {
    expect(problemsOf({ GRPC_TLS_CERT_FILE: join(dir, 'server.crt') })).toContain('GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE must be set together');
    expect(problemsOf({ GRPC_TLS_CLIENT_CA_FILE: join(dir, 'clients-ca.crt') })).toContain(
      'GRPC_TLS_CLIENT_CA_FILE (mutual TLS) needs GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE',
    );
  });
});
