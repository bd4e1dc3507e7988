import { execForm, instructionsOf, parseDockerfile, stageEnvironment, substitute } from './dockerfile';

const DOCKERFILE = `# syntax=docker/dockerfile:1
ARG NODE_VERSION=20.20
ARG EMPTY

FROM node:\${NODE_VERSION}-bookworm AS build
# a comment
RUN apt-get update \\
  # comments inside a continuation are dropped
  && apt-get install --yes tini
ENV A=1 B="two words" C='3'
ENV LEGACY value with spaces

from --platform=linux/amd64 node:\${NODE_VERSION}-bookworm-slim
ENTRYPOINT ["/usr/bin/tini", "--", "node", "main.js"]
CMD node main.js
`;

describe('parseDockerfile', () => {
  const dockerfile = parseDockerfile(DOCKERFILE);

  it('splits stages, reads global ARGs and joins continuation lines', () => {
    expect(dockerfile.globalArgs).toEqual({ NODE_VERSION: '20.20', EMPTY: '' });
    expect(dockerfile.stages.map((stage) => [stage.base, stage.name])).toEqual([
      ['node:${NODE_VERSION}-bookworm', 'build'],
      ['node:${NODE_VERSION}-bookworm-slim', undefined],
    ]);
    expect(instructionsOf(dockerfile.stages[0], 'RUN')).toEqual([
      { keyword: 'RUN', arguments: 'apt-get update && apt-get install --yes tini', line: 7 },
    ]);
  });

  it('reads ENV in both forms, exec-form arguments and substitutions', () => {
    expect(stageEnvironment(dockerfile.stages[0])).toEqual({
      A: '1',
      B: 'two words',
      C: '3',
      LEGACY: 'value with spaces',
    });
    const [entrypoint] = instructionsOf(dockerfile.stages[1], 'ENTRYPOINT');
    const [cmd] = instructionsOf(dockerfile.stages[1], 'CMD');
    expect(execForm(entrypoint)).toEqual(['/usr/bin/tini', '--', 'node', 'main.js']);
    expect(execForm(cmd)).toBeUndefined();
    expect(substitute('node:${NODE_VERSION}-slim $NODE_VERSION $OTHER', dockerfile.globalArgs)).toBe(
      'node:20.20-slim 20.20 $OTHER',
    );
  });

  it('refuses instructions before FROM other than ARG, and an unreadable FROM', () => {
    expect(() => parseDockerfile('RUN true\nFROM node')).toThrow('line 1: RUN before the first FROM');
    expect(() => parseDockerfile('FROM a b c d')).toThrow('line 1: cannot read FROM a b c d');
  });
});
