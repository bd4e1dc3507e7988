import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findRepositoryRoot } from '@qts/test-support';
import { parseDockerfile } from './dockerfile';
import {
  dockerfileProblems,
  imageDefaultArguments,
  imageEnvironment,
  imageUser,
  PRODUCTION_INSTALL_COMMAND,
} from './dockerfile-contract';
import { PLATFORM_IMAGES, type PlatformImage } from './platform-images';

const root = findRepositoryRoot(__dirname);
const source = (image: PlatformImage): string => readFileSync(path.join(root, image.dockerfile), 'utf8');
const gateway = PLATFORM_IMAGES[0];

describe.each(PLATFORM_IMAGES.map((image) => [image.dockerfile, image] as const))('%s', (_file, image) => {
  it('builds with the Nx target, installs production dependencies as the bundle test does, and runs hardened', () => {
    expect(dockerfileProblems(parseDockerfile(source(image)), image, process.version)).toEqual([]);
  });
});

describe('dockerfileProblems', () => {
  const problemsWith = (edit: (text: string) => string, image = gateway): string[] =>
    dockerfileProblems(parseDockerfile(edit(source(image))), image, process.version);

  it('wants the Node line the tests run on', () => {
    expect(dockerfileProblems(parseDockerfile(source(gateway)), gateway, 'v22.1.0')).toEqual([
      `ARG NODE_VERSION is ${/v(\d+\.\d+)/.exec(process.version)?.[1]}; the tests run Node 22.1`,
    ]);
  });

  it('reports a runtime on another Debian release than the stage that compiled the native modules', () => {
    expect(
      problemsWith((text) =>
        text.replace('FROM node:${NODE_VERSION}-bookworm-slim', 'FROM node:${NODE_VERSION}-alpine'),
      ),
    ).toEqual([expect.stringContaining('stage (runtime) starts from node:')]);
  });

  it('reports an install that differs from the tested one (dev dependencies in the image)', () => {
    expect(
      problemsWith((text) =>
        text.replace(PRODUCTION_INSTALL_COMMAND.join(' '), 'npm ci --no-audit --no-fund'),
      ),
    ).toEqual([`no named stage runs \`${PRODUCTION_INSTALL_COMMAND.join(' ')}\``]);
  });

  it('reports root, a missing tini and a shell-form entrypoint', () => {
    const problems = problemsWith((text) =>
      text
        .replace('USER 1000:1000', 'USER node')
        .replace(/ENTRYPOINT .*/, 'ENTRYPOINT node main.js')
        .replace('apt-get install --yes --no-install-recommends tini', 'apt-get install --yes curl'),
    );
    expect(problems).toEqual([
      'USER must be a numeric non-root uid:gid (runAsNonRoot cannot check a user name)',
      'ENTRYPOINT must be ["/usr/bin/tini","--","node","main.js"]',
      'the runtime stage must install tini',
    ]);
  });

  it('reports a copy from the build context into the runtime, a wrong bundle and a baked-in credential', () => {
    const problems = problemsWith((text) =>
      text
        .replace(
          'COPY --from=build /workspace/dist/apps/gateway-api ./',
          'COPY --from=build /workspace/dist/apps/execution-worker ./\nCOPY config ./config',
        )
        .replace('BIND_HOST=0.0.0.0', 'BIND_HOST=0.0.0.0 \\\n  ADMIN_API_KEY=changeme'),
    );
    expect(problems).toEqual([
      expect.stringMatching(/ENV ADMIN_API_KEY would bake a credential into the image$/),
      'the runtime stage may only copy from earlier stages, never from the build context',
      'the runtime stage must copy /workspace/dist/apps/gateway-api from build',
    ]);
  });

  it('reports loopback binding, a port variable the image does not expose and data/ not writable by the user', () => {
    const problems = problemsWith((text) =>
      text
        .replace('BIND_HOST=0.0.0.0', 'BIND_HOST=127.0.0.1')
        .replace('EXPOSE 3000 50051', 'EXPOSE 3000')
        .replace('chown 1000:1000 /app/data', 'chown 0:0 /app/data'),
    );
    expect(problems).toEqual([
      'the image must bind every interface explicitly (BIND_HOST 0.0.0.0)',
      'ENV GATEWAY_GRPC_PORT must name a port the image EXPOSEs',
      '/app/data must be created for uid 1000, the only path of /app the program writes',
    ]);
  });

  it('reads what a container starts with: environment, user and default arguments', () => {
    const simulator = PLATFORM_IMAGES.find((image) => image.project === 'jts-simulator') as PlatformImage;
    const dockerfile = parseDockerfile(source(simulator));
    expect(imageEnvironment(dockerfile)['NODE_ENV']).toBe('production');
    expect(imageUser(dockerfile)).toEqual({ uid: 1000, gid: 1000 });
    expect(imageDefaultArguments(dockerfile)).toEqual(['--host', '0.0.0.0']);
    expect(
      dockerfileProblems(
        parseDockerfile(source(simulator).replace('CMD ["--host", "0.0.0.0"]', '')),
        simulator,
        process.version,
      ),
    ).toEqual(['the image must bind every interface explicitly (--host 0.0.0.0)']);
  });
});
