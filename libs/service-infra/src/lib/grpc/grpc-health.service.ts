import { Injectable } from '@nestjs/common';
import type { Server, ServerWritableStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';

/**
 * The statuses of grpc.health.v1.Health on the service's gRPC port, as Kubernetes gRPC probes and grpc-health-probe
 * read them. '' (the server as a whole) is SERVING while the server accepts calls; services add their own names.
 */
@Injectable()
export class GrpcHealthService {
  private readonly implementation = new HealthImplementation({ '': 'NOT_SERVING' });
  private readonly names = new Set<string>(['']);
  /** Open Watch calls: ended (OK) once they have seen NOT_SERVING, so that they never hold the drain. */
  private readonly watches = new Set<ServerWritableStream<unknown, unknown>>();
  private stopped = false;

  setStatus(service: string, status: ServingStatus): void {
    this.names.add(service);
    this.implementation.setStatus(service, this.stopped ? 'NOT_SERVING' : status);
  }

  /** True once the server is shutting down: every status stays NOT_SERVING from then on. */
  get stopping(): boolean {
    return this.stopped;
  }

  /** Every status to NOT_SERVING, for good: the server is draining. Watchers get it, then their call ends. */
  stopServing(): void {
    this.stopped = true;
    for (const name of this.names) this.implementation.setStatus(name, 'NOT_SERVING');
    for (const call of this.watches) call.end();
    this.watches.clear();
  }

  addToServer(server: Server): void {
    // The package's handlers, with each Watch call tracked (a Watch never ends by itself).
    const tracking = {
      addService: (service: Parameters<Server['addService']>[0], handlers: UntypedServiceImplementation) => {
        const watch = handlers['watch'] as (call: ServerWritableStream<unknown, unknown>) => void;
        server.addService(service, {
          ...handlers,
          watch: (call: ServerWritableStream<unknown, unknown>) => {
            watch(call);
            if (this.stopped) {
              call.end();
              return;
            }
            this.watches.add(call);
            const forget = () => this.watches.delete(call);
            call.on('cancelled', forget);
            call.on('close', forget);
          },
        });
      },
    };
    this.implementation.addToServer(tracking as unknown as Server);
  }
}
