import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { getFreePorts, isAddressInUse } from '@qts/test-support';
import { containerEnvironment } from '../src/lib/container-environment';
import { parseDockerfile } from '../src/lib/dockerfile';
import { imageEnvironment, imageUser } from '../src/lib/dockerfile-contract';
import {
  containersOf,
  workloadsOf,
  type KubernetesObject,
  type Workload,
} from '../src/lib/kubernetes-objects';
import { platformImageOf, type PlatformImage } from '../src/lib/platform-images';
import { probeTargets, type ProbeTarget } from '../src/lib/probe-targets';
import { BundleProcess } from './bundle-process';
import { runProbe, type ProbeOutcome } from './kubelet-probe';
import type { ProductionRuntime } from './production-runtime';

/** How often a probe is repeated while waiting for it (the kubelet waits periodSeconds; the test need not). */
const POLL_MS = 250;
/** Bound on start-up (migrations, broker connections) until the program's ready line. */
const START_TIMEOUT_MS = 120_000;
const PORT_ATTEMPTS = 5;

/** A container of a rendered overlay, running from the production bundle on loopback. */
export interface LaunchedContainer {
  workload: Workload;
  container: IContainer;
  image: PlatformImage;
  process: BundleProcess;
  /** The loopback port standing in for each declared container port. */
  localPort(containerPort: number): number;
  probes: ProbeTarget[];
  /** The bundle folder (/app of the image). */
  directory: string;
}

export interface LaunchOptions {
  objects: readonly KubernetesObject[];
  workloadName: string;
  runtime: ProductionRuntime;
  workspaceRoot: string;
  /** Values for the variables the manifests take from Secrets; a listed variable with `undefined` stays unset. */
  secretValues: Readonly<Record<string, string | undefined>>;
  /** The brokers.yaml the program reads, given the loopback port of each declared container port. */
  brokersFile(localPorts: ReadonlyMap<number, number>): string;
}

/**
 * Starts a container of a rendered overlay as its image would run it, with what the manifests give it: the image's
 * ENV (from its Dockerfile), then the container's env and envFrom, the container's args, and the variables the
 * kubelet adds; as the image's user when the tests run as root. Only what cannot be the same on a test machine changes: every declared port moves to a free
 * loopback port (the variable or flag that sets it, or brokers.yaml), servers bind 127.0.0.1, brokers.yaml is a local
 * file, and Secret values come from `secretValues`. Resolves once the program prints that it listens.
 */
export async function launchContainer(options: LaunchOptions): Promise<LaunchedContainer> {
  const workload = workloadsOf(options.objects).find((candidate) => candidate.name === options.workloadName);
  if (workload === undefined) throw new Error(`no Deployment ${options.workloadName} in the overlay`);
  const [container, ...others] = containersOf(workload.podSpec);
  const image = platformImageOf(container?.image);
  if (container === undefined || others.length > 0 || image === undefined) {
    throw new Error(`${options.workloadName}: expected one container running a platform image`);
  }
  if (container.command !== undefined)
    throw new Error(`${options.workloadName}: command would replace the image's ENTRYPOINT`);
  const dockerfile = parseDockerfile(
    readFileSync(path.join(options.workspaceRoot, image.dockerfile), 'utf8'),
  );
  const user = imageUser(dockerfile);
  const directory = options.runtime.appDirectory(image);
  const { targets: probes, problems } = probeTargets(container);
  if (problems.length > 0) throw new Error(problems.join('\n'));
  const declared = (container.ports ?? []).map((port) => port.containerPort);

  for (let attempt = 1; ; attempt += 1) {
    const free = await getFreePorts(declared.length);
    const ports = new Map(declared.map((containerPort, index) => [containerPort, free[index]]));
    const program = startProgram(options, workload, container, image, dockerfile, directory, ports, user);
    try {
      // The program's own signal, not a probe: the probes are what the tests check.
      await program.waitForLine(image.readyLine, START_TIMEOUT_MS);
      return {
        workload,
        container,
        image,
        process: program,
        localPort: (containerPort) => {
          const local = ports.get(containerPort);
          if (local === undefined)
            throw new Error(`${options.workloadName} declares no port ${containerPort}`);
          return local;
        },
        probes,
        directory,
      };
    } catch (error) {
      await program.stop(5_000);
      if (attempt >= PORT_ATTEMPTS || !isAddressInUse(error)) throw error;
    }
  }
}

function startProgram(
  options: LaunchOptions,
  workload: Workload,
  container: IContainer,
  image: PlatformImage,
  dockerfile: ReturnType<typeof parseDockerfile>,
  directory: string,
  ports: ReadonlyMap<number, number>,
  user: ReturnType<typeof imageUser>,
): BundleProcess {
  const manifest = containerEnvironment(container, options.objects);
  const environment: Record<string, string> = { ...imageEnvironment(dockerfile), ...manifest.values };
  for (const reference of manifest.secrets) {
    if (reference.variable === undefined || !(reference.variable in options.secretValues)) {
      throw new Error(
        `${workload.name}: no test value for ${reference.variable ?? `envFrom Secret ${reference.secret}`} (Secret ${reference.secret})`,
      );
    }
    const value = options.secretValues[reference.variable];
    if (value !== undefined) environment[reference.variable] = value;
  }
  const args = [...(container.args ?? [])];
  const local = (portName: string): string => {
    const declared = (container.ports ?? []).find((port) => port.name === portName);
    const port = declared === undefined ? undefined : ports.get(declared.containerPort);
    if (port === undefined) throw new Error(`${workload.name} declares no port ${portName}`);
    return String(port);
  };
  for (const [portName, variable] of Object.entries(image.portVariables))
    environment[variable] = local(portName);
  for (const [portName, flag] of Object.entries(image.portFlags)) setFlag(args, flag, local(portName));

  const configFolder = path.join(options.runtime.root, `config-${workload.name}`);
  mkdirSync(configFolder, { recursive: true });
  chmodSync(configFolder, 0o755);
  const brokersFile = path.join(configFolder, 'brokers.yaml');
  writeFileSync(brokersFile, options.brokersFile(ports), { mode: 0o644 });
  if ('variable' in image.brokersConfig) environment[image.brokersConfig.variable] = brokersFile;
  else setFlag(args, image.brokersConfig.flag, brokersFile);
  if ('variable' in image.bindAddress) environment[image.bindAddress.variable] = '127.0.0.1';
  else setFlag(args, image.bindAddress.flag, '127.0.0.1');

  // What the kubelet gives every container, also with enableServiceLinks: false: the programs' checks that apply
  // on Kubernetes (rate-limit mode, SQLite with replicas) run as they would in the pod. Nothing connects to it.
  environment['KUBERNETES_SERVICE_HOST'] = '10.96.0.1';
  environment['KUBERNETES_SERVICE_PORT'] = '443';
  // Nothing else from the test process: no NODE_OPTIONS, NODE_PATH or jest variables. HOME is the read-only bundle.
  environment['PATH'] = process.env['PATH'] ?? '/usr/bin:/bin';
  environment['HOME'] = directory;
  environment['TZ'] = 'UTC';
  return BundleProcess.start(workload.name, directory, args, environment, user);
}

function setFlag(args: string[], flag: string, value: string): void {
  const index = args.indexOf(flag);
  if (index === -1) args.push(flag, value);
  else args[index + 1] = value;
}

/** Repeats a probe until it passes; fails with the program's output when it exits or the budget runs out. */
export async function waitForProbe(
  program: BundleProcess,
  target: ProbeTarget,
  ports: ReadonlyMap<number, number>,
  budgetMs: number,
): Promise<ProbeOutcome> {
  if (target.type === 'exec') throw new Error('exec probes cannot run outside the container');
  const port = ports.get(target.port.containerPort);
  if (port === undefined) throw new Error(`no local port for ${target.port.containerPort}`);
  const deadline = Date.now() + budgetMs;
  let last: ProbeOutcome = { passed: false, detail: 'not run' };
  while (Date.now() < deadline) {
    if (!program.running)
      throw new Error(
        `${program.name} exited while waiting for its ${target.kind} (${last.detail})\n${program.logs().slice(-3_000)}`,
      );
    last = await runProbe(target, port);
    if (last.passed) return last;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(
    `${program.name}: ${target.kind} did not pass within ${budgetMs} ms (${last.detail})\n${program.logs().slice(-3_000)}`,
  );
}
