import { DEFAULT_ACQUIRE_TIMEOUT_MS } from '@qts/broker-grpc';
import { DEFAULT_WORKER_SETTINGS } from '@qts/platform-config';
import { MIN_HTTP_DRAIN_MS } from '@qts/service-infra';

/**
 * The images the repository builds, and what the checks need to know about each: where its Dockerfile and its
 * build output are, and where the program reads its listening ports (so that a test can move them to free ports
 * while keeping everything else the manifests set).
 */
export interface PlatformImage {
  /** Repository of the image in the base manifests; an overlay may put a registry in front of it. */
  repository: string;
  /** Nx project whose `build` target produces the bundle. */
  project: string;
  dockerfile: string;
  /** The build output the image copies, relative to the repository root. */
  distPath: string;
  /** Environment variable holding each listening port, by container port name. */
  portVariables: Readonly<Record<string, string>>;
  /** Command-line flag holding a listening port, by container port name. */
  portFlags: Readonly<Record<string, string>>;
  /** Where the program reads the address its servers bind. */
  bindAddress: ProgramSetting;
  /** Where the program reads the path of brokers.yaml. */
  brokersConfig: ProgramSetting;
  /**
   * An app clients reach through a Service: it pauses in preStop so that endpoints drop it before it drains.
   * (The simulator, a test fixture, stops at once.)
   */
  servesClients: boolean;
  /** Start of the line the program prints on stdout once every port listens. */
  readyLine: string;
  /** Paths the program writes, mounted writable (emptyDir) on a read-only root filesystem. */
  writablePaths: readonly string[];
  /**
   * Seconds the program may take after SIGTERM before it has drained, from its configuration (environment of the
   * container): what terminationGracePeriodSeconds must cover beyond the preStop hook.
   */
  drainSeconds(environment: Readonly<Record<string, string>>): number;
}

/** A setting of the program: an environment variable, or a command-line flag followed by its value. */
export type ProgramSetting = { variable: string } | { flag: string };

/** The value a container gives a setting, from its environment or its arguments. */
export function settingValue(
  setting: ProgramSetting,
  environment: Readonly<Record<string, string>>,
  args: readonly string[],
): string | undefined {
  if ('variable' in setting) return environment[setting.variable];
  const index = args.indexOf(setting.flag);
  return index === -1 ? undefined : args[index + 1];
}

/** Defaults of the platform configuration (libs/platform-config) that the drain depends on. */
export const DEFAULT_BROKER_DEADLINE_MS = 5_000;
export const DEFAULT_WORKER_SHUTDOWN_GRACE_MS = DEFAULT_WORKER_SETTINGS.shutdownGraceMs;
/**
 * The longest a broker call may take once it started: a rate-limit permit wait (broker-grpc's acquire timeout), then
 * the broker deadline.
 */
export function longestBrokerCallMs(environment: Readonly<Record<string, string>>): number {
  return DEFAULT_ACQUIRE_TIMEOUT_MS + millisecondsSetting(environment, 'BROKER_DEADLINE_MS', DEFAULT_BROKER_DEADLINE_MS);
}
/** The gateway's drain beyond its longest call (gatewayShutdownGraceMs in apps/gateway-api). */
export const GATEWAY_DRAIN_MARGIN_MS = 1_000;
/** The simulator's bound on its own shutdown. */
const SIMULATOR_SHUTDOWN_DEADLINE_MS = 5_000;

export function millisecondsSetting(
  environment: Readonly<Record<string, string>>,
  name: string,
  fallback: number,
): number {
  const value = environment[name];
  return value === undefined ? fallback : Number(value);
}

export const PLATFORM_IMAGES: readonly PlatformImage[] = [
  {
    repository: 'qts/gateway-api',
    project: 'gateway-api',
    dockerfile: 'apps/gateway-api/Dockerfile',
    distPath: 'dist/apps/gateway-api',
    portVariables: { http: 'GATEWAY_HTTP_PORT', grpc: 'GATEWAY_GRPC_PORT' },
    portFlags: {},
    bindAddress: { variable: 'BIND_HOST' },
    brokersConfig: { variable: 'BROKERS_CONFIG' },
    servesClients: true,
    readyLine: 'gateway-api ready',
    writablePaths: ['/app/data', '/tmp'],
    // gRPC calls and HTTP requests in flight drain side by side for the longest call plus a margin; HTTP requests
    // still open then get at least MIN_HTTP_DRAIN_MS more (ServiceShutdown).
    drainSeconds: (environment) =>
      (longestBrokerCallMs(environment) + GATEWAY_DRAIN_MARGIN_MS + MIN_HTTP_DRAIN_MS) / 1_000,
  },
  {
    repository: 'qts/execution-worker',
    project: 'execution-worker',
    dockerfile: 'apps/execution-worker/Dockerfile',
    distPath: 'dist/apps/execution-worker',
    portVariables: { http: 'WORKER_HTTP_PORT', grpc: 'WORKER_GRPC_PORT' },
    portFlags: {},
    bindAddress: { variable: 'BIND_HOST' },
    brokersConfig: { variable: 'BROKERS_CONFIG' },
    servesClients: true,
    readyLine: 'EXECUTION_WORKER_READY ',
    writablePaths: ['/app/data', '/tmp'],
    // Intents in progress and the gRPC calls waiting for them drain side by side within the grace; HTTP requests
    // still open then get at least MIN_HTTP_DRAIN_MS more (ServiceShutdown).
    drainSeconds: (environment) =>
      (millisecondsSetting(environment, 'WORKER_SHUTDOWN_GRACE_MS', DEFAULT_WORKER_SHUTDOWN_GRACE_MS) +
        MIN_HTTP_DRAIN_MS) /
      1_000,
  },
  {
    repository: 'qts/jts-simulator',
    project: 'jts-simulator',
    dockerfile: 'tools/jts-simulator/Dockerfile',
    distPath: 'dist/tools/jts-simulator',
    portVariables: {},
    // Broker ports come from brokers.yaml (grpc.port of each broker).
    portFlags: { 'grpc-admin': '--admin-port' },
    bindAddress: { flag: '--host' },
    brokersConfig: { flag: '--config' },
    servesClients: false,
    readyLine: 'JTS_SIMULATOR_READY ',
    writablePaths: ['/tmp'],
    drainSeconds: () => SIMULATOR_SHUTDOWN_DEADLINE_MS / 1_000,
  },
];

/** The platform image a container runs, from its image reference (registry, tag and digest ignored). */
export function platformImageOf(image: string | undefined): PlatformImage | undefined {
  if (image === undefined) return undefined;
  const repository = imageRepository(image);
  return PLATFORM_IMAGES.find(
    (candidate) => repository === candidate.repository || repository.endsWith(`/${candidate.repository}`),
  );
}

/** `registry.example.com:5000/qts/gateway-api:0.1.0@sha256:...` -> `registry.example.com:5000/qts/gateway-api`. */
export function imageRepository(image: string): string {
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
}

/** The tag of an image reference, undefined when it has none (`:latest` implied) or is pinned by digest only. */
export function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon === -1 ? undefined : withoutDigest.slice(colon + 1);
}
