import { existsSync } from 'node:fs';
import path from 'node:path';

/** The Nx workspace root above `startDir` (the folder holding nx.json). */
export function findRepositoryRoot(startDir: string = __dirname): string {
  for (let dir = path.resolve(startDir); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nx.json'))) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`no nx.json above ${startDir}: run from inside the repository`);
    }
  }
}

/** Where `nx run jts-simulator:build` writes the simulator. */
export function simulatorMainPath(root: string = findRepositoryRoot()): string {
  return path.join(root, 'dist', 'tools', 'jts-simulator', 'main.js');
}
