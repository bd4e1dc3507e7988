import { Injectable } from '@nestjs/common';
import type { Server } from '@grpc/grpc-js';
import { HealthImplementation, type ServingStatus } from 'grpc-health-check';

/**
 * The statuses of grpc.health.v1.Health on the service's gRPC port, as Kubernetes gRPC probes and grpc-health-probe
 * read them. '' (the server as a whole) is SERVING while the server accepts calls; services add their own names.
 */
@Injectable()
export class GrpcHealthService {
  private readonly implementation = new HealthImplementation({ '': 'NOT_SERVING' });
  private readonly names = new Set<string>(['']);
  private stopped = false;

  setStatus(service: string, status: ServingStatus): void {
    this.names.add(service);
    this.implementation.setStatus(service, this.stopped ? 'NOT_SERVING' : status);
  }

  /** True once the server is shutting down: every status stays NOT_SERVING from then on. */
  get stopping(): boolean {
    return this.stopped;
  }

  /** Every status to NOT_SERVING, for good: the server is draining. */
  stopServing(): void {
    this.stopped = true;
    for (const name of this.names) this.implementation.setStatus(name, 'NOT_SERVING');
  }

  addToServer(server: Server): void {
    this.implementation.addToServer(server);
  }
}
