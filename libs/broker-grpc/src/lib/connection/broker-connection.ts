import { Channel, ChannelOptions, credentials, ServiceDefinition, makeGenericClientConstructor } from '@grpc/grpc-js';
import { GrpcEndpointConfig } from '@qts/broker-domain';
import { jtsV1 } from '@qts/grpc-contracts';
import { service as healthService } from 'grpc-health-check';
import { HealthClient } from './health-client';

/** The clients of one broker's JTS server, all on one shared channel (one HTTP/2 connection). */
export interface BrokerConnection {
  readonly brokerId: string;
  /** 'host:port' */
  readonly target: string;
  readonly channel: Channel;
  readonly marketData: jtsV1.MarketDataServiceClient;
  readonly trading: jtsV1.TradingServiceClient;
  readonly health: HealthClient;
  /**
   * Aborted when the connection is closed. Closing a grpc-js channel does not end calls already
   * running on it, so long-lived streams listen to this and cancel themselves.
   */
  readonly closed: AbortSignal;
  /** Closes the channel (and so every client on it) and aborts `closed`. */
  close(): void;
}

/**
 * Channel options. grpc-js reconnects a channel by itself; its default reconnect backoff grows to 120 s,
 * far too slow to notice a restarted JTS server, so it is capped low (the health loop then sees the
 * channel READY within about a second of the server coming back).
 */
export const DEFAULT_CHANNEL_OPTIONS: Readonly<ChannelOptions> = Object.freeze({
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1_000,
  // Candle streams of a full month of 1m bars are many small messages, not big ones: the default 4 MiB
  // per message is plenty; symbols lists stay far below it too.
});

const HealthClientConstructor = makeGenericClientConstructor(
  healthService as unknown as ServiceDefinition,
  'grpc.health.v1.Health',
) as unknown as new (address: string, creds: ReturnType<typeof credentials.createInsecure>, options: object) => HealthClient;

/**
 * Opens (lazily: grpc-js connects on first use or when asked) the channel and clients of one broker.
 * JTS runs beside the platform on a private network, so the channel is plaintext.
 */
export function createBrokerConnection(
  brokerId: string,
  endpoint: GrpcEndpointConfig,
  channelOptions: ChannelOptions = DEFAULT_CHANNEL_OPTIONS,
): BrokerConnection {
  const target = `${endpoint.host}:${endpoint.port}`;
  const creds = credentials.createInsecure();
  const channel = new Channel(target, creds, { ...channelOptions });
  const clientOptions = { channelOverride: channel };
  const lifetime = new AbortController();
  return {
    brokerId,
    target,
    channel,
    marketData: new jtsV1.MarketDataServiceClient(target, creds, clientOptions),
    trading: new jtsV1.TradingServiceClient(target, creds, clientOptions),
    health: new HealthClientConstructor(target, creds, clientOptions),
    closed: lifetime.signal,
    close: () => {
      lifetime.abort();
      channel.close();
    },
  };
}
