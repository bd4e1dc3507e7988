import { existsSync } from 'node:fs';
import path from 'node:path';

/** A file every proto root holds; finding it tells a real root from any other folder named proto. */
const ROOT_MARKER = path.join('jts', 'v1', 'common.proto');

/**
 * Finds the proto root for code running in `startDir`: `<startDir>/proto` first (a webpack bundle whose
 * build copies proto/ next to main.js), then `proto/` in each parent folder (running from source, where
 * it is the repository's proto/). Returns undefined when there is none.
 */
export function findProtoRoot(startDir: string): string | undefined {
  for (let dir = path.resolve(startDir); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'proto');
    if (existsSync(path.join(candidate, ROOT_MARKER))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Absolute path of the folder holding jts/, qts/ (the buf module root), for runtime loaders such as
 * @grpc/proto-loader and server reflection. When no root is found it names the bundle location
 * `<dir>/proto`, so that a loader's error shows where the files were expected.
 */
export const PROTO_ROOT: string = findProtoRoot(__dirname) ?? path.join(__dirname, 'proto');
