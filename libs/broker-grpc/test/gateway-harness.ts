import { ConnectionStatus } from '@qts/broker-domain';
import { BrokerConnectionManager } from '../src/lib/connection/broker-connection-manager';
import { GrpcBrokerGateway, GrpcBrokerGatewayOptions } from '../src/lib/gateway/grpc-broker-gateway';
import { brokerConfig } from './broker-config-fixture';
import { RecordingLimiter } from './recording-limiter';
import { ScriptedJtsServer } from './scripted-jts-server';
import { waitUntil } from './wait-until';

/** A scripted JTS server, a connection manager connected to it, and a gateway factory. */
export interface GatewayHarness {
  server: ScriptedJtsServer;
  manager: BrokerConnectionManager;
  limiter: RecordingLimiter;
  gateway(options?: Partial<GrpcBrokerGatewayOptions>): GrpcBrokerGateway;
  close(): void;
}

export const BROKER_ID = 'kis';

export async function startGatewayHarness(): Promise<GatewayHarness> {
  const server = await ScriptedJtsServer.start();
  // Probes answered over the real socket must never time out while a test moves fake time forward: a probe timed
  // out by a jump of the clock would turn the broker DISCONNECTED and stop the calls under test.
  const manager = new BrokerConnectionManager({
    healthIntervalMs: 60_000,
    initialProbeBackoffMs: 20,
    probeTimeoutMs: 3_600_000,
    slowProbeMs: 3_600_000,
    random: () => 0.5,
  });
  manager.connect(brokerConfig(BROKER_ID, server.port));
  await waitUntil(() => manager.getStatus(BROKER_ID) === ConnectionStatus.CONNECTED, 'the broker is CONNECTED');
  const harness: GatewayHarness = {
    server,
    manager,
    limiter: new RecordingLimiter(),
    gateway: (options = {}) =>
      new GrpcBrokerGateway({
        brokerId: BROKER_ID,
        brokerType: brokerConfig(BROKER_ID, server.port).type,
        connections: manager,
        limiter: harness.limiter,
        retryBackoff: { initialMs: 5, maxMs: 20 },
        random: () => 0.5,
        ...options,
      }),
    close: () => {
      manager.disconnectAll();
      server.stop();
    },
  };
  return harness;
}
