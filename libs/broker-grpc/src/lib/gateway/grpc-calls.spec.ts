import { status } from '@grpc/grpc-js';
import { ScriptedJtsServer } from '../../../test/scripted-jts-server';
import { createBrokerConnection } from '../connection/broker-connection';
import { grpcError } from '../../../test/scripted-jts-server';
import { isConnectionLoss, isUnavailableStatus, unaryCall, waitForChannelReady } from './grpc-calls';

jest.setTimeout(10_000);

describe('waitForChannelReady', () => {
  it('connects an idle channel and answers true once READY', async () => {
    const server = await ScriptedJtsServer.start();
    const connection = createBrokerConnection('kis', { host: '127.0.0.1', port: server.port });
    try {
      await expect(waitForChannelReady(connection.channel, Date.now() + 5_000)).resolves.toBe(true);
      await expect(waitForChannelReady(connection.channel, Date.now() + 5_000)).resolves.toBe(true);
    } finally {
      connection.close();
      server.stop();
    }
  });

  it('answers false as soon as the channel fails to connect, long before the deadline', async () => {
    const connection = createBrokerConnection('kis', { host: '127.0.0.1', port: 1 });
    try {
      // A deadline an hour away: waiting for it instead of the refused connection would time the test out.
      await expect(waitForChannelReady(connection.channel, Date.now() + 3_600_000)).resolves.toBe(false);
    } finally {
      connection.close();
    }
  });

  it('answers false for a closed channel and for a deadline already passed', async () => {
    const connection = createBrokerConnection('kis', { host: '127.0.0.1', port: 1 });
    await expect(waitForChannelReady(connection.channel, Date.now() - 1)).resolves.toBe(false);
    connection.close();
    await expect(waitForChannelReady(connection.channel, Date.now() + 5_000)).resolves.toBe(false);
  });

  it('answers false when the deadline passes while still connecting', async () => {
    // A non-routable address (TEST-NET-1) keeps the channel CONNECTING.
    const connection = createBrokerConnection('kis', { host: '192.0.2.1', port: 50061 });
    try {
      await expect(waitForChannelReady(connection.channel, Date.now() + 100)).resolves.toBe(false);
    } finally {
      connection.close();
    }
  });
});

describe('unaryCall', () => {
  it('rejects a completion without a response', async () => {
    await expect(unaryCall((done) => done(null, undefined))).rejects.toThrow('without a response');
  });
});

describe('status predicates', () => {
  it('tell connection losses from other failures', () => {
    expect(isUnavailableStatus(grpcError(status.UNAVAILABLE, 'x'))).toBe(true);
    expect(isUnavailableStatus(new Error('x'))).toBe(false);
    expect(isConnectionLoss(grpcError(status.CANCELLED, 'x'))).toBe(true);
    expect(isConnectionLoss(grpcError(status.INTERNAL, 'x'))).toBe(false);
    expect(isConnectionLoss(Object.assign(new Error('x'), { code: status.UNAVAILABLE }))).toBe(false);
  });
});
