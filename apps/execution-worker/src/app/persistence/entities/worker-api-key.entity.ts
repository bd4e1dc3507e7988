import { Entity } from 'typeorm';
import { StoredApiKey } from '@qts/service-infra';

/**
 * The worker's API keys (the service kit's key store), in a table of their own: the worker and the gateway may share
 * one database, and the gateway's keys (`api_keys`) are no worker keys.
 */
@Entity({ name: 'worker_api_keys' })
export class WorkerApiKeyEntity extends StoredApiKey {}
