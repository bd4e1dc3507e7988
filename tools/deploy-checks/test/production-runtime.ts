import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PRODUCTION_INSTALL_COMMAND, type ImageUser } from '../src/lib/dockerfile-contract';
import type { PlatformImage } from '../src/lib/platform-images';

/** Bound on one `npm ci` of the production dependencies (better-sqlite3 compiles from source: about 70 s here). */
const INSTALL_TIMEOUT_MS = 10 * 60_000;
const COMPLETE_MARKER = '.complete';

/** The images' /app folders, laid out in a temporary folder outside the repository. */
export interface ProductionRuntime {
  root: string;
  /** The /app folder of each image, by Nx project. */
  appDirectory(image: PlatformImage): string;
  /** How the production dependencies were obtained, and how long it took. */
  install: { cached: boolean; milliseconds: number; directory: string };
  remove(): void;
}

/**
 * Builds what the images copy, without Docker: the production dependencies installed from the repository's
 * package.json and lockfile exactly as the Dockerfiles' dependency stage installs them, and for each image a folder
 * holding its Nx build output and those node_modules, like /app in the image. Everything lives under the system's
 * temporary folder, outside the repository, so that Node cannot fall back to the repository's node_modules (with its
 * dev dependencies). The install is kept between runs under a key of its inputs (lockfile, package.json, Node, npm
 * command), since it compiles better-sqlite3; a fresh CI machine always installs.
 */
export async function prepareProductionRuntime(
  workspaceRoot: string,
  images: readonly PlatformImage[],
  user: ImageUser | undefined,
): Promise<ProductionRuntime> {
  for (const image of images) {
    if (!existsSync(path.join(workspaceRoot, image.distPath, 'main.js'))) {
      throw new Error(
        `${image.distPath}/main.js is missing: run \`npx nx run ${image.project}:build\` (the integration target depends on it)`,
      );
    }
  }
  const started = Date.now();
  const { directory, cached } = await productionDependencies(workspaceRoot);
  const install = { cached, milliseconds: Date.now() - started, directory };

  const root = mkdtempSync(path.join(tmpdir(), 'qts-production-bundle-'));
  chmodSync(root, 0o755);
  assertNoNodeModulesAbove(root);
  const directories = new Map<string, string>();
  for (const image of images) {
    const app = path.join(root, image.project);
    cpSync(path.join(workspaceRoot, image.distPath), app, { recursive: true });
    chmodSync(app, 0o755);
    symlinkSync(path.join(directory, 'node_modules'), path.join(app, 'node_modules'), 'dir');
    for (const writable of image.writablePaths.filter((candidate) => candidate.startsWith('/app/'))) {
      const folder = path.join(app, writable.slice('/app/'.length));
      mkdirSync(folder, { recursive: true });
      // The image creates it for its user; the rest of /app stays root's.
      if (user !== undefined && process.getuid?.() === 0) chownSync(folder, user.uid, user.gid);
    }
    directories.set(image.project, app);
  }
  return {
    root,
    install,
    appDirectory: (image) => {
      const found = directories.get(image.project);
      if (found === undefined) throw new Error(`no runtime folder for ${image.project}`);
      return found;
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

async function productionDependencies(
  workspaceRoot: string,
): Promise<{ directory: string; cached: boolean }> {
  const manifest = readFileSync(path.join(workspaceRoot, 'package.json'));
  const lockfile = readFileSync(path.join(workspaceRoot, 'package-lock.json'));
  const key = createHash('sha256')
    .update(manifest)
    .update(lockfile)
    .update(`${process.version} ${process.platform} ${process.arch} ${PRODUCTION_INSTALL_COMMAND.join(' ')}`)
    .digest('hex')
    .slice(0, 16);
  const cacheRoot = path.join(tmpdir(), 'qts-deploy-checks');
  mkdirSync(cacheRoot, { recursive: true, mode: 0o755 });
  assertNoNodeModulesAbove(cacheRoot);
  const directory = path.join(cacheRoot, `production-dependencies-${key}`);
  if (existsSync(path.join(directory, COMPLETE_MARKER))) {
    // Marked as in use, so that another checkout's clean-up of old installs leaves it alone.
    const now = new Date();
    utimesSync(directory, now, now);
    return { directory, cached: true };
  }

  const staging = mkdtempSync(path.join(cacheRoot, 'installing-'));
  chmodSync(staging, 0o755);
  try {
    writeFileSync(path.join(staging, 'package.json'), manifest);
    writeFileSync(path.join(staging, 'package-lock.json'), lockfile);
    const [command, ...args] = PRODUCTION_INSTALL_COMMAND;
    // --prefer-offline: from npm's cache when it has the tarballs (no registry round trips); same tree either way.
    await run(command, [...args, '--prefer-offline'], staging);
    writeFileSync(path.join(staging, COMPLETE_MARKER), new Date().toISOString());
    rmSync(directory, { recursive: true, force: true });
    renameSync(staging, directory);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  removeOtherInstalls(cacheRoot, directory);
  return { directory, cached: false };
}

/** Installs of older lockfiles are dropped once a newer one is complete (each is about 170 MB). */
function removeOtherInstalls(cacheRoot: string, keep: string): void {
  const dayAgo = Date.now() - 24 * 3600_000;
  for (const entry of readdirSync(cacheRoot)) {
    const candidate = path.join(cacheRoot, entry);
    if (candidate !== keep && statSync(candidate).mtimeMs < dayAgo)
      rmSync(candidate, { recursive: true, force: true });
  }
}

function run(command: string, args: readonly string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production', npm_config_update_notifier: 'false', NODE_OPTIONS: '' },
    });
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-16_384);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), INSTALL_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${command} ${args.join(' ')} failed (${signal ?? `exit code ${code}`}) in ${cwd}:\n${output}`,
          ),
        );
    });
  });
}

/** Node looks for packages in every node_modules above a module: none may exist above the runtime folders. */
export function assertNoNodeModulesAbove(directory: string): void {
  for (let dir = path.dirname(path.resolve(directory)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'node_modules'))) {
      throw new Error(
        `${path.join(dir, 'node_modules')} exists: a production bundle under it could load packages it does not ship`,
      );
    }
    if (path.dirname(dir) === dir) return;
  }
}

/** Every file and folder under a directory (symlinks not followed), relative paths, sorted. */
export function listTree(directory: string): string[] {
  const entries: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      entries.push(relative);
      if (entry.isDirectory()) walk(path.join(dir, entry.name), relative);
    }
  };
  walk(directory, '');
  return entries.sort();
}
