/**
 * A .dockerignore as the builder applies it: patterns in order, the last one matching a path decides, `!` re-includes,
 * `**` spans folders, and a pattern matching a folder matches everything inside it.
 */
export class DockerIgnore {
  private readonly rules: { exclude: boolean; pattern: RegExp }[];

  constructor(text: string) {
    this.rules = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => {
        const exclude = !line.startsWith('!');
        const pattern = (exclude ? line : line.slice(1)).trim().replace(/^\/+/, '').replace(/\/+$/, '');
        return { exclude, pattern: toRegExp(pattern) };
      });
  }

  /** Whether a path of the repository (a/b/c, relative) is sent to the builder. */
  includes(path: string): boolean {
    const prefixes = path.split('/').map((_, index, parts) => parts.slice(0, index + 1).join('/'));
    let excluded = false;
    for (const rule of this.rules) {
      if (prefixes.some((prefix) => rule.pattern.test(prefix))) excluded = rule.exclude;
    }
    return !excluded;
  }
}

function toRegExp(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index];
    if (char === '*' && pattern[index + 1] === '*') {
      // `**/` matches zero or more folders.
      source += pattern[index + 2] === '/' ? '(?:.*/)?' : '.*';
      index += pattern[index + 2] === '/' ? 2 : 1;
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}
