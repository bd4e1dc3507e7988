import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { EnvironmentReader } from './load-platform-config';

/** Where the TLS material of a gRPC server is (PEM files). */
export interface GrpcTlsSettings {
  /** GRPC_TLS_CERT_FILE: the server's certificate chain. */
  certFile: string;
  /** GRPC_TLS_KEY_FILE: its private key. */
  keyFile: string;
  /** GRPC_TLS_CLIENT_CA_FILE: set, clients must present a certificate this CA signed (mutual TLS). */
  clientCaFile?: string;
}

/** How a service shows itself to browsers and gRPC clients. */
export interface SecuritySettings {
  /** CORS_ALLOWED_ORIGINS: browser origins (scheme://host[:port]) allowed to call the HTTP API; empty: none. */
  corsAllowedOrigins: readonly string[];
  /** GRPC_TLS_*: TLS, or mutual TLS, on the service's gRPC port; unset: plaintext (inside a trusted network). */
  grpcTls?: GrpcTlsSettings;
}

/** The defaults: no cross-origin browser access, plaintext gRPC. */
export const DEFAULT_SECURITY_SETTINGS: Readonly<SecuritySettings> = Object.freeze({ corsAllowedOrigins: [] });

/** Reads CORS_ALLOWED_ORIGINS and GRPC_TLS_*; each problem names its variable. */
export function readSecuritySettings(reader: EnvironmentReader, cwd: string): SecuritySettings {
  const corsAllowedOrigins: string[] = [];
  for (const entry of (reader.string('CORS_ALLOWED_ORIGINS') ?? '').split(',')) {
    const origin = entry.trim();
    if (origin === '') continue;
    if (isOrigin(origin)) corsAllowedOrigins.push(origin);
    else reader.problems.push(`CORS_ALLOWED_ORIGINS must list origins such as https://console.example.com (scheme://host[:port], no path), got '${origin}'`);
  }

  const file = (name: string): string | undefined => {
    const value = reader.string(name);
    if (value === undefined) return undefined;
    const path = isAbsolute(value) ? value : resolve(cwd, value);
    if (!existsSync(path)) reader.problems.push(`${name}: no file at ${path}`);
    return path;
  };
  const certFile = file('GRPC_TLS_CERT_FILE');
  const keyFile = file('GRPC_TLS_KEY_FILE');
  const clientCaFile = file('GRPC_TLS_CLIENT_CA_FILE');
  if ((certFile === undefined) !== (keyFile === undefined)) {
    reader.problems.push('GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE must be set together');
  }
  if (clientCaFile !== undefined && certFile === undefined) {
    reader.problems.push('GRPC_TLS_CLIENT_CA_FILE (mutual TLS) needs GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE');
  }
  const grpcTls =
    certFile !== undefined && keyFile !== undefined
      ? { certFile, keyFile, ...(clientCaFile === undefined ? {} : { clientCaFile }) }
      : undefined;
  return { corsAllowedOrigins, ...(grpcTls === undefined ? {} : { grpcTls }) };
}

/** An origin as browsers send it: http(s)://host[:port], nothing after. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}
