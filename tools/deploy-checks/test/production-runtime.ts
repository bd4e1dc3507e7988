import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  copyFileSync,
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

/** Bound on one npm command of the install (compiling better-sqlite3 from source takes about 70 s here). */
const INSTALL_TIMEOUT_MS = 10 * 60_000;
const COMPLETE_MARKER = '.complete';
/** Part of the cache key: installs made another way are not reused. */
const INSTALL_METHOD = 'ci --ignore-scripts, then each install script (better-sqlite3 from the workspace when it matches)';

/** The images' /app folders, laid out in a temporary folder outside the repository. */
export interface ProductionRuntime {
  root: string;
  /** The /app folder of each image, by Nx project. */
  appDirectory(image: PlatformImage): string;
  /** How the production dependencies were obtained, and how long it took. */
  install: { cached: boolean; milliseconds: number; directory: string; nativeModules: NativeModuleSource[] };
  remove(): void;
}

/**
 * Builds what the images copy, without Docker: the production dependencies installed from the repository's
 * package.json and lockfile with the Dockerfiles' install command (the package tree npm ci resolves from the
 * lockfile; install scripts as described at runInstallScripts), and for each image a folder holding its Nx build
 * output and those node_modules, like /app in the image. Everything lives under the system's temporary folder,
 * outside the repository, so that Node cannot fall back to the repository's node_modules (with its dev
 * dependencies). The install is kept between runs of one machine under a key of its inputs (lockfile,
 * package.json, Node, npm command); a fresh CI machine always installs.
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
  const { directory, cached, nativeModules } = await productionDependencies(workspaceRoot);
  const install = { cached, milliseconds: Date.now() - started, directory, nativeModules };

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
): Promise<{ directory: string; cached: boolean; nativeModules: NativeModuleSource[] }> {
  const manifest = readFileSync(path.join(workspaceRoot, 'package.json'));
  const lockfile = readFileSync(path.join(workspaceRoot, 'package-lock.json'));
  const key = createHash('sha256')
    .update(manifest)
    .update(lockfile)
    .update(`${process.version} ${process.platform} ${process.arch} ${PRODUCTION_INSTALL_COMMAND.join(' ')}`)
    .update(INSTALL_METHOD)
    .digest('hex')
    .slice(0, 16);
  const cacheRoot = path.join(tmpdir(), 'qts-deploy-checks');
  mkdirSync(cacheRoot, { recursive: true, mode: 0o755 });
  assertNoNodeModulesAbove(cacheRoot);
  const directory = path.join(cacheRoot, `production-dependencies-${key}`);
  const marker = path.join(directory, COMPLETE_MARKER);
  if (existsSync(marker)) {
    // Marked as in use, so that another checkout's clean-up of old installs leaves it alone.
    const now = new Date();
    utimesSync(directory, now, now);
    return { directory, cached: true, nativeModules: readMarker(marker) };
  }

  const staging = mkdtempSync(path.join(cacheRoot, 'installing-'));
  chmodSync(staging, 0o755);
  try {
    writeFileSync(path.join(staging, 'package.json'), manifest);
    writeFileSync(path.join(staging, 'package-lock.json'), lockfile);
    const [command, ...args] = PRODUCTION_INSTALL_COMMAND;
    // The tree exactly as the lockfile and the image's flags give it (--prefer-offline: from npm's cache when it
    // has the tarballs, the same tree either way). Install scripts run afterwards, one package at a time, so that
    // a native module already compiled for this Node can be taken instead of compiled again.
    await run(command, [...args, '--prefer-offline', '--ignore-scripts'], staging);
    const nativeModules = await runInstallScripts(staging, workspaceRoot);
    writeFileSync(path.join(staging, COMPLETE_MARKER), JSON.stringify({ nativeModules }, null, 2));
    rmSync(directory, { recursive: true, force: true });
    renameSync(staging, directory);
    removeOtherInstalls(cacheRoot, directory);
    return { directory, cached: false, nativeModules };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/** How a package with an install script got its install-time output in the production install. */
export interface NativeModuleSource {
  name: string;
  version: string;
  /**
   * `script`: its install script ran here, as in the image. `workspace`: the addon the workspace's own `npm ci`
   * compiled from the same version's sources for this Node (same ABI, platform and architecture) was copied.
   */
  from: 'script' | 'workspace';
}

/**
 * Runs the install scripts the `--ignore-scripts` install skipped, as `npm ci` would have run them, except one:
 * better-sqlite3's (prebuild-install, else node-gyp compiling SQLite: about 70 s on 2 cores, most of this test's
 * cost). When the workspace's node_modules hold the same better-sqlite3 version, compiled by the workspace's own
 * install from the same lockfile, and that addon loads in this Node, its `.node` file is copied instead: the same
 * sources, compiler and Node ABI the image's install would use. Anything else (another version, another ABI, no
 * workspace build) runs the script.
 */
async function runInstallScripts(installRoot: string, workspaceRoot: string): Promise<NativeModuleSource[]> {
  const installed = JSON.parse(
    readFileSync(path.join(installRoot, 'node_modules', '.package-lock.json'), 'utf8'),
  ) as { packages: Record<string, { version?: string; hasInstallScript?: boolean }> };
  const withScripts = Object.entries(installed.packages)
    .filter(([location, entry]) => entry.hasInstallScript === true && location.startsWith('node_modules/'))
    .map(([location, entry]) => ({ name: location.slice('node_modules/'.length), version: entry.version ?? '' }));
  const sources: NativeModuleSource[] = [];
  const rebuild: string[] = [];
  for (const pkg of withScripts) {
    if (pkg.name === 'better-sqlite3' && reuseWorkspaceAddon(installRoot, workspaceRoot, pkg.version)) {
      sources.push({ ...pkg, from: 'workspace' });
    } else {
      rebuild.push(pkg.name);
      sources.push({ ...pkg, from: 'script' });
    }
  }
  // `npm rebuild <names>` runs exactly those packages' install scripts, in the installed tree.
  if (rebuild.length > 0) await run('npm', ['rebuild', ...rebuild, '--no-audit', '--no-fund'], installRoot);
  return sources;
}

/** Copies the workspace's compiled better-sqlite3 addon when it is the same version and loads in this Node. */
function reuseWorkspaceAddon(installRoot: string, workspaceRoot: string, version: string): boolean {
  const workspacePackage = path.join(workspaceRoot, 'node_modules', 'better-sqlite3');
  const addon = path.join('build', 'Release', 'better_sqlite3.node');
  if (!existsSync(path.join(workspacePackage, addon))) return false;
  const workspaceVersion = (
    JSON.parse(readFileSync(path.join(workspacePackage, 'package.json'), 'utf8')) as { version?: string }
  ).version;
  if (workspaceVersion !== version) return false;
  // The ABI check that matters: this Node (the one the apps run on here) loads it and it works.
  const probe = spawnSync(
    process.execPath,
    ['-e', `const D = require(${JSON.stringify(workspacePackage)}); new D(':memory:').prepare('select 1').get();`],
    { encoding: 'utf8', timeout: 30_000 },
  );
  if (probe.status !== 0) return false;
  const target = path.join(installRoot, 'node_modules', 'better-sqlite3', addon);
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(path.join(workspacePackage, addon), target);
  return true;
}

function readMarker(marker: string): NativeModuleSource[] {
  try {
    return (JSON.parse(readFileSync(marker, 'utf8')) as { nativeModules?: NativeModuleSource[] }).nativeModules ?? [];
  } catch {
    return [];
  }
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
