import { posix } from 'node:path';

/** The parts of a target's configuration (as `nx graph` / `--graph` print it) that tell which reports it writes. */
export interface TargetConfiguration {
  executor?: string;
  command?: string;
  options?: Record<string, unknown>;
  configurations?: Record<string, Record<string, unknown> | undefined>;
  continuous?: boolean;
}

/** The JSON that `nx run-many ... --graph=<file>.json` writes: the project graph and the task graph of the run. */
export interface NxRunGraphFile {
  graph: {
    nodes: Record<string, { name?: string; data: { root: string; targets?: Record<string, TargetConfiguration> } }>;
  };
  tasks: {
    tasks: Record<
      string,
      { id: string; target: { project: string; target: string; configuration?: string }; continuous?: boolean }
    >;
  };
}

/** A task the test command runs, and the jest --json reports it must leave (workspace-relative paths). */
export interface ExpectedTask {
  id: string;
  project: string;
  target: string;
  reports: string[];
}

/**
 * Every task of the run (including the tasks they depend on, e.g. the codegen check before a lint) with the jest
 * reports each one writes. Continuous tasks (servers) never finish, so nothing is expected of them.
 */
export function expectedTasksOf(file: NxRunGraphFile): ExpectedTask[] {
  return Object.values(file.tasks.tasks)
    .filter((task) => task.continuous !== true)
    .map((task) => {
      const { project, target, configuration } = task.target;
      const node = file.graph.nodes[project];
      const targetConfiguration = node?.data.targets?.[target];
      const reports =
        node === undefined || targetConfiguration === undefined
          ? []
          : jestReportsOf(targetConfiguration, configuration, { projectName: project, projectRoot: node.data.root });
      return { id: task.id, project, target, reports };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The jest --json output files a target writes: `@nx/jest:jest` with `json` and `outputFile`, or a command that
 * runs jest with `--json --outputFile=<file>`. Paths are resolved against the command's `cwd` and normalised to
 * workspace-relative POSIX paths.
 */
export function jestReportsOf(
  target: TargetConfiguration,
  configuration: string | undefined,
  project: { projectName: string; projectRoot: string },
): string[] {
  const options: Record<string, unknown> = {
    ...(target.options ?? {}),
    ...((configuration === undefined ? undefined : target.configurations?.[configuration]) ?? {}),
  };
  const cwd = typeof options['cwd'] === 'string' ? reportPath(options['cwd'], '', project) : '';
  const files: string[] = [];
  if (target.executor === '@nx/jest:jest' && options['json'] === true && typeof options['outputFile'] === 'string') {
    files.push(options['outputFile']);
  }
  for (const command of commandsOf(target, options)) {
    if (!/(^|[\s/])jest(\s|$)/.test(command) || !/(^|\s)--json(\s|$)/.test(command)) continue;
    for (const match of command.matchAll(/--outputFile(?:=|\s+)("[^"]+"|'[^']+'|[^\s;&|]+)/g)) {
      files.push(match[1].replace(/^["']|["']$/g, ''));
    }
  }
  return [...new Set(files.map((file) => reportPath(file, cwd, project)))];
}

function commandsOf(target: TargetConfiguration, options: Record<string, unknown>): string[] {
  const commands: unknown[] = [target.command, options['command']];
  if (Array.isArray(options['commands'])) {
    for (const entry of options['commands'] as unknown[]) {
      commands.push(typeof entry === 'object' && entry !== null ? (entry as { command?: unknown }).command : entry);
    }
  }
  return commands.filter((command): command is string => typeof command === 'string');
}

/** Nx replaces {workspaceRoot} with the absolute root, so such a path ignores cwd. */
function reportPath(file: string, cwd: string, project: { projectName: string; projectRoot: string }): string {
  const fromRoot = file.startsWith('{workspaceRoot}');
  const path = interpolate(fromRoot ? file.slice('{workspaceRoot}'.length).replace(/^\/+/, '') : file, project);
  return workspacePath(fromRoot ? '' : cwd, path);
}

function interpolate(value: string, project: { projectName: string; projectRoot: string }): string {
  return value.replaceAll('{projectRoot}', project.projectRoot).replaceAll('{projectName}', project.projectName);
}

/** A workspace-relative POSIX path (absolute when the target names one), whatever form the target gave it in. */
export function workspacePath(cwd: string, file: string): string {
  const slashed = file.replaceAll('\\', '/');
  if (posix.isAbsolute(slashed)) return posix.normalize(slashed);
  return posix.normalize(posix.join(cwd.replaceAll('\\', '/'), slashed)).replace(/^\.\//, '');
}
