import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { findRepositoryRoot } from '@qts/test-support';
import { parseDockerfile } from '../lib/dockerfile';
import { imageEnvironment, imageUser } from '../lib/dockerfile-contract';
import { describeObject, type KubernetesObject } from '../lib/kubernetes-objects';
import { manifestInvariants, overlayParityProblems } from '../lib/manifest-invariants';
import { OVERLAYS, renderOverlay, type OverlayName } from '../lib/render-overlay';
import { schemaProblems } from '../lib/schema-validation';
import { requiredSecrets } from '../lib/secret-invariants';
import { platformContainers } from '../lib/workload-invariants';

const root = findRepositoryRoot(__dirname);
const rendered = {} as Record<OverlayName, KubernetesObject[]>;

beforeAll(() => {
  for (const overlay of Object.keys(OVERLAYS) as OverlayName[])
    rendered[overlay] = renderOverlay(OVERLAYS[overlay], root);
});

describe.each(Object.keys(OVERLAYS) as OverlayName[])('kubectl kustomize deploy/overlays/%s', (overlay) => {
  it('renders objects that all validate against the Kubernetes OpenAPI schemas, with no unknown field', () => {
    const objects = rendered[overlay];
    const problems = objects.flatMap((object) =>
      schemaProblems(object).map((problem) => `${describeObject(object)}: ${problem}`),
    );
    console.log(`deploy/overlays/${overlay}: ${objects.length} objects, ${problems.length} schema errors`);
    expect(objects.length).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });

  it('holds every deployment invariant', () => {
    const results = manifestInvariants(rendered[overlay], overlay);
    expect(results).toEqual(Object.fromEntries(Object.keys(results).map((name) => [name, []])));
  });

  it('runs the images as they are built: their user, ports and brokers file', () => {
    const problems: string[] = [];
    for (const { workload, container, image } of platformContainers(rendered[overlay])) {
      const dockerfile = parseDockerfile(readFileSync(path.join(root, image.dockerfile), 'utf8'));
      const user = imageUser(dockerfile);
      const pod = workload.podSpec.securityContext;
      if (
        user === undefined ||
        pod?.runAsUser !== user.uid ||
        pod?.runAsGroup !== user.gid ||
        pod?.fsGroup !== user.gid
      ) {
        problems.push(
          `${workload.name}: runAsUser/runAsGroup/fsGroup must be the image's USER ${user?.uid}:${user?.gid}`,
        );
      }
      const environment = imageEnvironment(dockerfile);
      for (const [portName, variable] of Object.entries(image.portVariables)) {
        const declared = container.ports?.find((port) => port.name === portName)?.containerPort;
        if (environment[variable] !== String(declared))
          problems.push(
            `${workload.name}: the image's ${variable} ${environment[variable]} differs from port ${portName} ${declared}`,
          );
      }
      const brokersConfig = image.brokersConfig;
      if ('variable' in brokersConfig) {
        const defaultFile = environment[brokersConfig.variable];
        const mounted = container.volumeMounts?.some((mount) =>
          defaultFile?.startsWith(`${mount.mountPath}/`),
        );
        if (!mounted)
          problems.push(
            `${workload.name}: the image's default brokers file is not where the ConfigMap is mounted`,
          );
      }
    }
    expect(problems).toEqual([]);
  });
});

it('deploys the apps with the same ports, probes, security and lifecycle in dev and prod', () => {
  expect(overlayParityProblems(rendered.dev, rendered.prod)).toEqual([]);
});

it('documents every Secret the prod overlay needs (docs/operations.md)', () => {
  const docs = readFileSync(path.join(root, 'docs/operations.md'), 'utf8');
  const undocumented = requiredSecrets(rendered.prod).filter(
    ({ secret, key }) => !docs.includes(`\`${secret}\``) || (key !== '*' && !docs.includes(`\`${key}\``)),
  );
  expect(undocumented).toEqual([]);
});

it('documents every environment variable the programs read and the manifests set, in the table of docs/operations.md', () => {
  const docs = readFileSync(path.join(root, 'docs/operations.md'), 'utf8');
  const table = /^## Configuration\b[\s\S]*?(?=^## )/m.exec(docs)?.[0] ?? '';
  const configSources = path.join(root, 'libs/platform-config/src/lib');
  const read = new Set<string>();
  for (const file of readdirSync(configSources).filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'))) {
    const source = readFileSync(path.join(configSources, file), 'utf8');
    // A variable name as the first argument of any call (the reader's methods, or a helper such as the TLS files'),
    // or an index into the environment.
    for (const match of source.matchAll(/(?<!Symbol)\(\s*'([A-Z][A-Z0-9_]*)'|env\['([A-Z][A-Z0-9_]*)'\]/g)) read.add(match[1] ?? match[2]);
  }
  expect(read.size).toBeGreaterThan(20);
  // The scan sees variables read through helpers too.
  expect([...read]).toEqual(expect.arrayContaining(['CORS_ALLOWED_ORIGINS', 'GRPC_TLS_CERT_FILE', 'GRPC_TLS_KEY_FILE', 'GRPC_TLS_CLIENT_CA_FILE']));
  const set = new Set<string>();
  for (const overlay of Object.keys(OVERLAYS) as OverlayName[]) {
    for (const { container } of platformContainers(rendered[overlay])) {
      for (const variable of container.env ?? []) set.add(variable.name);
    }
  }
  const undocumented = [...new Set([...read, ...set])].filter((name) => !table.includes(`\`${name}\``)).sort();
  expect(undocumented).toEqual([]);
});
