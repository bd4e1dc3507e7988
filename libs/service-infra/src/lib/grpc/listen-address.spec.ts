import { displayHost, listenAddress } from './listen-address';

describe('listen addresses', () => {
  it('bracket IPv6 hosts and leave the rest alone', () => {
    expect(listenAddress('0.0.0.0', 50051)).toBe('0.0.0.0:50051');
    expect(listenAddress('::', 50051)).toBe('[::]:50051');
    expect(listenAddress('[::1]', 1)).toBe('[::1]:1');
  });

  it('print loopback for a server bound to every interface', () => {
    expect(displayHost('0.0.0.0')).toBe('127.0.0.1');
    expect(displayHost('::')).toBe('127.0.0.1');
    expect(displayHost('10.1.2.3')).toBe('10.1.2.3');
  });
});
