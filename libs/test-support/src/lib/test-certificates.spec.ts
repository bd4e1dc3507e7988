import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createTestCertificates } from './test-certificates';

describe('createTestCertificates', () => {
  it('issues a server certificate for 127.0.0.1 and clients, signed by their CAs, and removes them', () => {
    const certificates = createTestCertificates();
    try {
      const ca = new X509Certificate(certificates.read(certificates.caFile));
      const server = new X509Certificate(certificates.read(certificates.serverCertFile));
      const client = new X509Certificate(certificates.read(certificates.clientCertFile));
      const stranger = new X509Certificate(certificates.read(certificates.strangerCertFile));
      expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
      expect(server.verify(ca.publicKey)).toBe(true);
      expect(client.verify(ca.publicKey)).toBe(true);
      expect(stranger.verify(ca.publicKey)).toBe(false);
    } finally {
      certificates.remove();
    }
    expect(existsSync(certificates.dir)).toBe(false);
  });
});
