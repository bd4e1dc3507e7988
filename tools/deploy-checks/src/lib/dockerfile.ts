/** One instruction of a Dockerfile, continuation lines joined. */
export interface DockerInstruction {
  keyword: string;
  arguments: string;
  /** 1-based line where the instruction starts. */
  line: number;
}

export interface DockerStage {
  /** The FROM image as written (build arguments not substituted). */
  base: string;
  name?: string;
  instructions: DockerInstruction[];
}

export interface Dockerfile {
  /** ARGs declared before the first FROM, with their defaults. */
  globalArgs: Record<string, string>;
  stages: DockerStage[];
}

/**
 * Reads a Dockerfile into stages and instructions, the way the builder splits it: comment lines dropped (also inside
 * a continuation), lines ending in a backslash joined.
 */
export function parseDockerfile(text: string): Dockerfile {
  const instructions: DockerInstruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || (trimmed === '' && pending === undefined)) return;
    const continued = trimmed.endsWith('\\');
    const content = continued ? trimmed.slice(0, -1).trim() : trimmed;
    pending =
      pending === undefined
        ? { text: content, line: index + 1 }
        : { text: `${pending.text} ${content}`.trim(), line: pending.line };
    if (!continued) {
      const match = /^(\S+)\s*(.*)$/.exec(pending.text);
      if (match)
        instructions.push({ keyword: match[1].toUpperCase(), arguments: match[2], line: pending.line });
      pending = undefined;
    }
  });

  const globalArgs: Record<string, string> = {};
  const stages: DockerStage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const match = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.arguments);
      if (match === null)
        throw new Error(`line ${instruction.line}: cannot read FROM ${instruction.arguments}`);
      stages.push({ base: match[1], ...(match[2] !== undefined && { name: match[2] }), instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG')
        throw new Error(`line ${instruction.line}: ${instruction.keyword} before the first FROM`);
      const [name, value] = splitAssignment(instruction.arguments);
      globalArgs[name] = value ?? '';
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

function splitAssignment(text: string): [string, string | undefined] {
  const index = text.indexOf('=');
  return index === -1
    ? [text.trim(), undefined]
    : [text.slice(0, index).trim(), unquote(text.slice(index + 1).trim())];
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/** `${NAME}` and `$NAME` replaced from the given values. */
export function substitute(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, braced: string | undefined, bare: string | undefined) => {
      const name = braced ?? bare ?? '';
      return values[name] ?? whole;
    },
  );
}

/** The arguments of an exec-form instruction (ENTRYPOINT ["a", "b"]); undefined for the shell form. */
export function execForm(instruction: DockerInstruction): string[] | undefined {
  if (!instruction.arguments.startsWith('[')) return undefined;
  const parsed = JSON.parse(instruction.arguments) as unknown;
  return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : undefined;
}

/** The variables a stage's ENV instructions set, in order (`ENV A=1 B="two"` and the legacy `ENV A 1`). */
export function stageEnvironment(stage: DockerStage): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const instruction of stage.instructions.filter((candidate) => candidate.keyword === 'ENV')) {
    const pairs = [
      ...instruction.arguments.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g),
    ];
    if (pairs.length === 0) {
      const [name, ...value] = instruction.arguments.split(/\s+/);
      environment[name] = value.join(' ');
    }
    for (const [, name, value] of pairs) environment[name] = unquote(value);
  }
  return environment;
}

export function instructionsOf(stage: DockerStage, keyword: string): DockerInstruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword);
}
