// Credential sources are part of a broker's configuration, which the domain describes.
export type { CredentialSource, RestCredentialSources } from '@qts/broker-domain';
