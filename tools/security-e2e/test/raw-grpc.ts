import { Client, credentials, Metadata, status, type ChannelCredentials } from '@grpc/grpc-js';

const identity = (bytes: Buffer): Buffer => bytes;

/** How one call ended: the status code and details, the response bytes of a unary call, messages of a stream. */
export interface CallOutcome {
  code: status;
  details: string;
  /** The stable code of the qts-error-code trailer, when the call failed. */
  errorCode?: string;
  response?: Buffer;
  messages: number;
}

/**
 * A grpc-js client that sends and receives raw bytes (identity serializers), as an attacker's client would: any
 * bytes reach the server's deserializer. One channel: every call of this client shares its connection.
 */
export class RawGrpcClient {
  private readonly client: Client;

  constructor(address: string, channel: ChannelCredentials = credentials.createInsecure(), options: Record<string, string | number> = {}) {
    this.client = new Client(address, channel, { 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1, ...options });
  }

  unary(path: string, bytes: Buffer, apiKey?: string, deadlineMs = 10_000): Promise<CallOutcome> {
    return new Promise((resolve) => {
      this.client.makeUnaryRequest(path, identity, identity, bytes, metadataWith(apiKey), { deadline: Date.now() + deadlineMs }, (error, response) =>
        resolve(
          error
            ? { code: error.code, details: error.details, errorCode: trailerCode(error.metadata), messages: 0 }
            : { code: status.OK, details: '', response, messages: 1 },
        ),
      );
    });
  }

  /**
   * A server-streaming call, cancelled after `openMs` if it is still open (a valid stream): CANCELLED then means
   * it was served. Messages are counted, and `onMessage` sees each.
   */
  stream(path: string, bytes: Buffer, apiKey: string | undefined, openMs: number, onMessage?: (message: Buffer) => void): Promise<CallOutcome> {
    return new Promise((resolve) => {
      let messages = 0;
      const call = this.client.makeServerStreamRequest(path, identity, identity, bytes, metadataWith(apiKey), { deadline: Date.now() + 30_000 });
      const timer = setTimeout(() => call.cancel(), openMs);
      call.on('data', (message: Buffer) => {
        messages += 1;
        onMessage?.(message);
      });
      call.on('status', (result: { code: status; details: string; metadata: Metadata }) => {
        clearTimeout(timer);
        resolve({ code: result.code, details: result.details, errorCode: trailerCode(result.metadata), messages });
      });
      call.on('error', () => undefined);
    });
  }

  close(): void {
    this.client.close();
  }
}

function metadataWith(apiKey: string | undefined): Metadata {
  const metadata = new Metadata();
  if (apiKey !== undefined) metadata.set('x-api-key', apiKey);
  return metadata;
}

function trailerCode(metadata: Metadata | undefined): string | undefined {
  const value = metadata?.get('qts-error-code')[0];
  return value === undefined ? undefined : String(value);
}

/** Statuses that mean the server failed (a bug), never an answer to bad input. */
export const SERVER_FAULT_STATUSES: ReadonlySet<status> = new Set([status.INTERNAL, status.UNKNOWN, status.DATA_LOSS]);
