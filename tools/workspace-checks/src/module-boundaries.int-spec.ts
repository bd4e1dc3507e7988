import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The architecture rules of the workspace (README, Layout), checked against the real workspace: the project graph Nx computes
 * and the lint rule that enforces the tags. These are what keep the domain framework-free as the code grows.
 */
const root = join(__dirname, '..', '..', '..');

interface ProjectGraph {
  graph: {
    nodes: Record<string, { data: { tags?: string[] } }>;
    dependencies: Record<string, { target: string }[]>;
  };
}

function projectGraph(): ProjectGraph {
  const folder = mkdtempSync(join(tmpdir(), 'qts-graph-'));
  try {
    const file = join(folder, 'graph.json');
    execFileSync('npx', ['nx', 'graph', `--file=${file}`], {
      cwd: root,
      env: { ...process.env, NX_DAEMON: 'false' },
      stdio: 'ignore',
    });
    return JSON.parse(readFileSync(file, 'utf8')) as ProjectGraph;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Lints `code` as if it were the file at `filePath`, with the workspace's own eslint config (a real eslint run). */
async function lintAs(filePath: string, code: string): Promise<string[]> {
  const run = spawnSync(
    join(root, 'node_modules', '.bin', 'eslint'),
    ['--stdin', '--stdin-filename', join(root, filePath), '--format', 'json'],
    { cwd: root, input: code, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' }, timeout: 120_000 },
  );
  const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === '@nx/enforce-module-boundaries')
    .map((message) => message.message);
}

describe('project graph (nx graph)', () => {
  const { graph } = projectGraph();
  const dependenciesOf = (project: string) => (graph.dependencies[project] ?? []).map((d) => d.target);

  it('has the apps depend on the libraries', () => {
    expect(dependenciesOf('gateway-api')).toEqual(
      expect.arrayContaining(['broker-domain', 'broker-transport', 'rate-limit', 'platform-config', 'grpc-contracts', 'service-infra']),
    );
    expect(dependenciesOf('execution-worker')).toEqual(
      expect.arrayContaining(['broker-domain', 'broker-transport', 'platform-config', 'grpc-contracts', 'service-infra']),
    );
  });

  it('has broker-domain depend on no framework package and no other project', () => {
    const dependencies = dependenciesOf('broker-domain');
    expect(dependencies.filter((target) => !target.startsWith('npm:'))).toEqual([]);
    // External packages appear here only when the graph file lists them; either way nothing but decimal.js.
    expect(dependencies.filter((target) => target.startsWith('npm:') && target !== 'npm:decimal.js')).toEqual([]);
  });

  it('has no library depend on an app', () => {
    const apps = ['gateway-api', 'execution-worker'];
    for (const [project, node] of Object.entries(graph.nodes)) {
      if (node.data.tags?.includes('type:app')) continue;
      expect({ project, apps: dependenciesOf(project).filter((target) => apps.includes(target)) }).toEqual({
        project,
        apps: [],
      });
    }
  });
});

describe('lint rule @nx/enforce-module-boundaries', () => {
  it.each(['@nestjs/common', '@grpc/grpc-js', 'typeorm'])('fails when broker-domain imports %s', async (pkg) => {
    const messages = await lintAs(
      'libs/broker-domain/src/lib/boundary-probe.ts',
      `import * as framework from '${pkg}';\nexport const probe = framework;\n`,
    );
    expect(messages).toEqual([`A project tagged with "type:domain" is not allowed to import "${pkg}"`]);
  });

  it('fails when a library imports an app or a library deep path', async () => {
    const appImport = await lintAs(
      'libs/broker-grpc/src/lib/boundary-probe.ts',
      `import { AppModule } from '../../../../apps/gateway-api/src/app/app.module';\nexport const probe = AppModule;\n`,
    );
    expect(appImport.length).toBeGreaterThan(0);
    const deepImport = await lintAs(
      'apps/gateway-api/src/app/boundary-probe.ts',
      `import { Order } from '@qts/broker-domain/src/lib/entities/order';\nexport const probe = Order;\n`,
    );
    expect(deepImport.length).toBeGreaterThan(0);
  });

  it('keeps test-support out of production code', async () => {
    const messages = await lintAs(
      'libs/broker-grpc/src/lib/boundary-probe.ts',
      `import { getFreePort } from '@qts/test-support';\nexport const probe = getFreePort;\n`,
    );
    expect(messages).toEqual([
      'A project tagged with "type:infra" can only depend on libs tagged with "type:domain", "type:infra", "type:util"',
    ]);
  });

  it("keeps the service kit's concerns in the kit: an app may not import the gRPC health package itself", async () => {
    const messages = await lintAs(
      'apps/gateway-api/src/app/boundary-probe.ts',
      `import { HealthImplementation } from 'grpc-health-check';\nexport const probe = HealthImplementation;\n`,
    );
    expect(messages).toEqual(['A project tagged with "type:app" is not allowed to import "grpc-health-check"']);
  });

  it('accepts the domain importing decimal.js', async () => {
    expect(
      await lintAs('libs/broker-domain/src/lib/boundary-probe.ts', `import Decimal from 'decimal.js';\nexport const probe = Decimal;\n`),
    ).toEqual([]);
  });
});
