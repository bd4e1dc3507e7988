import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM files of a throw-away PKI for TLS tests: a CA, a server for 127.0.0.1 / localhost, clients. */
export interface TestCertificates {
  readonly dir: string;
  /** The CA that signed the server and `client`. */
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  /** A client certificate the CA signed. */
  clientCertFile: string;
  clientKeyFile: string;
  /** A client certificate signed by another CA (refused under mutual TLS). */
  strangerCertFile: string;
  strangerKeyFile: string;
  read(file: string): Buffer;
  remove(): void;
}

/**
 * Generates the certificates with the openssl command line (Debian's openssl package; .ci/run installs it): EC P-256
 * keys, valid for a day.
 */
export function createTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'qts-tls-'));
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const key = (name: string) => openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', path(name));
  const authority = (name: string) => {
    key(`${name}.key`);
    openssl('req', '-x509', '-new', '-key', path(`${name}.key`), '-subj', `/CN=${name}`, '-days', '1', '-out', path(`${name}.crt`));
  };
  const issue = (name: string, ca: string, extensions: string) => {
    key(`${name}.key`);
    openssl('req', '-new', '-key', path(`${name}.key`), '-subj', `/CN=${name}`, '-out', path(`${name}.csr`));
    writeFileSync(path(`${name}.ext`), extensions);
    openssl(
      'x509', '-req', '-in', path(`${name}.csr`), '-CA', path(`${ca}.crt`), '-CAkey', path(`${ca}.key`), '-CAcreateserial',
      '-days', '1', '-extfile', path(`${name}.ext`), '-out', path(`${name}.crt`),
    );
  };
  authority('test-ca');
  authority('stranger-ca');
  issue('server', 'test-ca', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  issue('client', 'test-ca', 'extendedKeyUsage=clientAuth\n');
  issue('stranger', 'stranger-ca', 'extendedKeyUsage=clientAuth\n');
  return {
    dir,
    caFile: path('test-ca.crt'),
    serverCertFile: path('server.crt'),
    serverKeyFile: path('server.key'),
    clientCertFile: path('client.crt'),
    clientKeyFile: path('client.key'),
    strangerCertFile: path('stranger.crt'),
    strangerKeyFile: path('stranger.key'),
    read: (file: string) => readFileSync(file),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
