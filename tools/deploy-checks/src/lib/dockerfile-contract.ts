import {
  execForm,
  instructionsOf,
  stageEnvironment,
  substitute,
  type Dockerfile,
  type DockerStage,
} from './dockerfile';
import type { PlatformImage } from './platform-images';

/**
 * How the images install their production dependencies, and how the bundle test reproduces it: the lockfile's
 * dependencies without dev and optional packages (optional ones are only optional peers such as ts-node and
 * TypeScript, which typeorm never loads at run time, and pg-cloudflare).
 */
export const PRODUCTION_INSTALL_COMMAND: readonly string[] = [
  'npm',
  'ci',
  '--omit=dev',
  '--omit=optional',
  '--no-audit',
  '--no-fund',
];

/** PID 1 of every image: tini forwards SIGTERM to Node and reaps children. */
export const IMAGE_ENTRYPOINT: readonly string[] = ['/usr/bin/tini', '--', 'node', 'main.js'];

/** Where the runtime stage puts the bundle and node_modules (the bundle test lays its directories out the same way). */
export const IMAGE_WORKDIR = '/app';

/** Names that must never be baked into an image as ARG or ENV. */
const SECRET_NAME = /(PASSWORD|SECRET|TOKEN|API_KEY|APP_KEY|CREDENTIAL|DATABASE_URL|REDIS_URL|PRIVATE)/i;

/** The runtime stage's user, numeric as Kubernetes' runAsNonRoot needs it. */
export interface ImageUser {
  uid: number;
  gid: number;
}

export function runtimeStage(dockerfile: Dockerfile): DockerStage {
  const stage = dockerfile.stages[dockerfile.stages.length - 1];
  if (stage === undefined) throw new Error('the Dockerfile has no FROM');
  return stage;
}

/** The environment a container of the image starts with (the runtime stage's ENV). */
export function imageEnvironment(dockerfile: Dockerfile): Record<string, string> {
  return stageEnvironment(runtimeStage(dockerfile));
}

export function imageUser(dockerfile: Dockerfile): ImageUser | undefined {
  const user = instructionsOf(runtimeStage(dockerfile), 'USER').at(-1)?.arguments.trim();
  const match = user === undefined ? null : /^(\d+)(?::(\d+))?$/.exec(user);
  return match ? { uid: Number(match[1]), gid: Number(match[2] ?? match[1]) } : undefined;
}

/** The runtime stage's default arguments (CMD, exec form). */
export function imageDefaultArguments(dockerfile: Dockerfile): string[] {
  const cmd = instructionsOf(runtimeStage(dockerfile), 'CMD').at(-1);
  return cmd === undefined ? [] : (execForm(cmd) ?? []);
}

/**
 * What every image must be: built from the Node line the tests run on, by the Nx target CI runs; production
 * dependencies installed exactly as the bundle test installs them; a runtime stage on the same Debian release that
 * copies only the dependencies and the bundle, runs as a numeric non-root user with tini as PID 1, binds every
 * interface, owns nothing it does not write, and bakes in no credential.
 */
export function dockerfileProblems(
  dockerfile: Dockerfile,
  image: PlatformImage,
  nodeVersion: string,
): string[] {
  const problems: string[] = [];
  const args = dockerfile.globalArgs;
  const expectedNode = /^v?(\d+\.\d+)/.exec(nodeVersion)?.[1];
  if (args['NODE_VERSION'] !== expectedNode) {
    problems.push(
      `ARG NODE_VERSION is ${args['NODE_VERSION'] ?? 'unset'}; the tests run Node ${expectedNode}`,
    );
  }
  for (const stage of dockerfile.stages) {
    const base = substitute(stage.base, args);
    if (!/^node:\d+\.\d+-bookworm(-slim)?$/.test(base)) {
      problems.push(
        `stage ${stage.name ?? '(runtime)'} starts from ${base}: every stage must be node:<NODE_VERSION>-bookworm[-slim], so that native modules built in one run in the other`,
      );
    }
    for (const instruction of [...instructionsOf(stage, 'ARG'), ...instructionsOf(stage, 'ENV')]) {
      for (const name of instruction.arguments.split(/\s+/).map((part) => part.split('=')[0])) {
        if (SECRET_NAME.test(name))
          problems.push(
            `line ${instruction.line}: ${instruction.keyword} ${name} would bake a credential into the image`,
          );
      }
    }
  }

  const runs = (stage: DockerStage): string[] =>
    instructionsOf(stage, 'RUN').map((instruction) => instruction.arguments.replace(/\s+/g, ' '));
  const build = dockerfile.stages.find((stage) =>
    runs(stage).some((run) => run.includes(`nx run ${image.project}:build`)),
  );
  if (build?.name === undefined) problems.push(`no named stage runs \`nx run ${image.project}:build\``);
  const install = PRODUCTION_INSTALL_COMMAND.join(' ');
  const dependencies = dockerfile.stages.find((stage) => runs(stage).some((run) => run === install));
  if (dependencies?.name === undefined) problems.push(`no named stage runs \`${install}\``);
  else if (
    !instructionsOf(dependencies, 'COPY').some(
      (copy) => copy.arguments.replace(/\s+/g, ' ') === 'package.json package-lock.json ./',
    )
  ) {
    problems.push(
      `stage ${dependencies.name} must install from the repository's package.json and package-lock.json alone`,
    );
  }

  const runtime = runtimeStage(dockerfile);
  if (runtime === build || runtime === dependencies)
    problems.push('the runtime stage must be separate from the build stages');
  if (instructionsOf(runtime, 'WORKDIR').at(-1)?.arguments !== IMAGE_WORKDIR)
    problems.push(`the runtime stage must work in ${IMAGE_WORKDIR}`);
  const copies = instructionsOf(runtime, 'COPY').map((copy) => copy.arguments.replace(/\s+/g, ' '));
  if (copies.some((copy) => !copy.startsWith('--from=')))
    problems.push('the runtime stage may only copy from earlier stages, never from the build context');
  if (
    dependencies?.name &&
    !copies.includes(`--from=${dependencies.name} ${IMAGE_WORKDIR}/node_modules ./node_modules`)
  ) {
    problems.push(`the runtime stage must copy node_modules from ${dependencies.name}`);
  }
  if (build?.name && !copies.includes(`--from=${build.name} /workspace/${image.distPath} ./`)) {
    problems.push(`the runtime stage must copy /workspace/${image.distPath} from ${build.name}`);
  }

  const user = imageUser(dockerfile);
  if (user === undefined || user.uid === 0)
    problems.push('USER must be a numeric non-root uid:gid (runAsNonRoot cannot check a user name)');
  const entrypoint = instructionsOf(runtime, 'ENTRYPOINT').at(-1);
  if (entrypoint === undefined || JSON.stringify(execForm(entrypoint)) !== JSON.stringify(IMAGE_ENTRYPOINT)) {
    problems.push(`ENTRYPOINT must be ${JSON.stringify(IMAGE_ENTRYPOINT)}`);
  }
  if (!runs(runtime).some((run) => /apt-get install .*\btini\b/.test(run)))
    problems.push('the runtime stage must install tini');

  const environment = imageEnvironment(dockerfile);
  if (environment['NODE_ENV'] !== 'production') problems.push('ENV NODE_ENV must be production');
  const bind =
    'variable' in image.bindAddress
      ? environment[image.bindAddress.variable]
      : argumentAfter(imageDefaultArguments(dockerfile), image.bindAddress.flag);
  if (bind !== '0.0.0.0')
    problems.push(
      `the image must bind every interface explicitly (${'variable' in image.bindAddress ? image.bindAddress.variable : image.bindAddress.flag} 0.0.0.0)`,
    );
  const exposed = instructionsOf(runtime, 'EXPOSE').flatMap((expose) =>
    expose.arguments.split(/\s+/).map((port) => port.replace(/\/tcp$/, '')),
  );
  for (const variable of Object.values(image.portVariables)) {
    if (environment[variable] === undefined || !exposed.includes(environment[variable]))
      problems.push(`ENV ${variable} must name a port the image EXPOSEs`);
  }
  for (const path of image.writablePaths.filter((candidate) => candidate.startsWith(`${IMAGE_WORKDIR}/`))) {
    if (user && !runs(runtime).some((run) => run.includes(`chown ${user.uid}:${user.gid} ${path}`))) {
      problems.push(
        `${path} must be created for uid ${user.uid}, the only path of ${IMAGE_WORKDIR} the program writes`,
      );
    }
  }
  return problems;
}

function argumentAfter(args: readonly string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  return index === -1 ? undefined : args[index + 1];
}
