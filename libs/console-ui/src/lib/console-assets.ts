import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The kit both console pages load: styles, formatting, the event stream, the API client, DOM helpers, widgets. */
export const CONSOLE_KIT_FILES = ['console.css', 'format.js', 'event-stream.js', 'api-client.js', 'dom.js', 'widgets.js'] as const;

/** The page scripts: one per service, each served only by its own service. */
export const CONSOLE_PAGE_SCRIPTS = { gateway: 'gateway-console.js', execution: 'execution-console.js' } as const;
export type ConsolePage = keyof typeof CONSOLE_PAGE_SCRIPTS;

/** URL prefix of the console's assets. */
export const CONSOLE_ASSET_PATH = 'console-ui';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** One served file: its bytes, type and entity tag. */
export interface ConsoleAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

/**
 * The folder of the console's assets: `console-ui/` beside a webpack bundle (its build copies them there), else the
 * library's own `assets/` (running from source). Undefined when neither holds them.
 */
export function findConsoleAssetRoot(startDir: string): string | undefined {
  const candidates = [path.join(startDir, CONSOLE_ASSET_PATH), path.resolve(startDir, '../../assets')];
  return candidates.find((candidate) => CONSOLE_KIT_FILES.every((file) => existsSync(path.join(candidate, file))));
}

/**
 * The console assets one service serves, read once at start-up into memory: the kit and that service's page script,
 * nothing else (no path from a request ever reaches the file system).
 */
export class ConsoleAssets {
  private readonly files: ReadonlyMap<string, ConsoleAsset>;

  constructor(page: ConsolePage, root: string | null = findConsoleAssetRoot(__dirname) ?? null) {
    if (root === null) {
      throw new Error(`the console assets were not found beside ${__dirname} (${CONSOLE_ASSET_PATH}/ of the build, or libs/console-ui/assets)`);
    }
    const names = [...CONSOLE_KIT_FILES, CONSOLE_PAGE_SCRIPTS[page]];
    this.files = new Map(
      names.map((name) => {
        const body = readFileSync(path.join(root, name));
        const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
        return [name, { body, contentType: CONTENT_TYPES[path.extname(name)] as string, etag }];
      }),
    );
  }

  get(name: string): ConsoleAsset | undefined {
    return this.files.get(name);
  }

  names(): string[] {
    return [...this.files.keys()];
  }
}
