/** host:port as servers and gRPC targets want it, with IPv6 literals in brackets. */
export function listenAddress(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The host to print in a URL for a server bound to `bindHost`: loopback for the wildcard addresses. */
export function displayHost(bindHost: string): string {
  return bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost;
}
