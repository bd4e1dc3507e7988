import { builtinModules } from 'node:module';

/**
 * The packages a webpack bundle for Node leaves to node_modules: each external becomes a module whose body is
 * `module.exports = require("<request>")`. Node's own modules are left out; requests are returned as written
 * (`@bufbuild/protobuf/wire`), sorted.
 */
export function bundleExternals(bundleSource: string): string[] {
  const requests = new Set<string>();
  for (const match of bundleSource.matchAll(/module\.exports\s*=\s*require\(\s*["']([^"']+)["']\s*\)/g)) {
    const request = match[1];
    if (
      request.startsWith('node:') ||
      builtinModules.includes(request) ||
      request.startsWith('.') ||
      request.startsWith('/')
    )
      continue;
    requests.add(request);
  }
  return [...requests].sort();
}

/** The package a request loads from: `@scope/name/sub/path` -> `@scope/name`, `name/sub` -> `name`. */
export function packageOf(request: string): string {
  const parts = request.split('/');
  return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
