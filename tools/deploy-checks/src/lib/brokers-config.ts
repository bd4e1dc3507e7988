import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { parse, parseDocument } from 'yaml';
import { objectsOfKind, type KubernetesObject } from './kubernetes-objects';

/** The file name under which brokers-config carries the brokers (BROKERS_CONFIG points at it). */
export const BROKERS_FILE = 'brokers.yaml';

/** Where the apps reach one broker. */
export interface BrokerEndpoint {
  id: string;
  host: string;
  port: number;
}

/** The brokers.yaml of a rendered overlay: the one ConfigMap carrying a brokers.yaml key. */
export function renderedBrokersFile(objects: readonly KubernetesObject[]): string {
  const carriers = objectsOfKind<IConfigMap>(objects, 'ConfigMap').filter(
    (configMap) => configMap.data?.[BROKERS_FILE] !== undefined,
  );
  if (carriers.length !== 1) {
    throw new Error(`expected one ConfigMap with a ${BROKERS_FILE} key, found ${carriers.length}`);
  }
  return carriers[0].data?.[BROKERS_FILE] as string;
}

export function brokerEndpoints(brokersYaml: string): BrokerEndpoint[] {
  const document = parse(brokersYaml) as {
    brokers?: Array<{ id?: unknown; grpc?: { host?: unknown; port?: unknown } }>;
  } | null;
  return (document?.brokers ?? []).map((broker, index) => {
    const { id, grpc } = broker;
    if (typeof id !== 'string' || typeof grpc?.host !== 'string' || typeof grpc.port !== 'number') {
      throw new Error(`${BROKERS_FILE}: brokers[${index}] needs an id, grpc.host and a numeric grpc.port`);
    }
    return { id, host: grpc.host, port: grpc.port };
  });
}

/**
 * The same brokers.yaml with every broker's grpc.host and grpc.port replaced (everything else kept as written), so
 * that a test can point an environment's real brokers file at a simulator on loopback.
 */
export function withBrokerEndpoints(
  brokersYaml: string,
  host: string,
  ports: Readonly<Record<string, number>>,
): string {
  const document = parseDocument(brokersYaml);
  const brokers = brokerEndpoints(brokersYaml);
  brokers.forEach((broker, index) => {
    const port = ports[broker.id];
    if (port === undefined) throw new Error(`no port for broker ${broker.id}`);
    document.setIn(['brokers', index, 'grpc', 'host'], host);
    document.setIn(['brokers', index, 'grpc', 'port'], port);
  });
  return document.toString();
}
