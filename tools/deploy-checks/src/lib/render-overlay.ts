import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import type { KubernetesObject } from './kubernetes-objects';

/** The overlays an operator applies, relative to the repository root. */
export const OVERLAYS = { dev: 'deploy/overlays/dev', prod: 'deploy/overlays/prod' } as const;
export type OverlayName = keyof typeof OVERLAYS;

/**
 * Renders a kustomization with `kubectl kustomize` (kustomize built into kubectl, offline: no cluster needed), as
 * `kubectl apply -k` would before sending the objects.
 */
export function renderOverlay(directory: string, cwd: string, kubectl = 'kubectl'): KubernetesObject[] {
  let output: string;
  try {
    output = execFileSync(kubectl, ['kustomize', directory], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') {
      throw new Error(
        'kubectl is not installed: .ci/run installs it (Debian package kubectl or kubernetes-client)',
      );
    }
    throw new Error(`kubectl kustomize ${directory} failed: ${failure.stderr?.trim() || failure.message}`);
  }
  return parseManifests(output, directory);
}

/** Parses multi-document YAML into objects; a document that is not a Kubernetes object is an error. */
export function parseManifests(text: string, source: string): KubernetesObject[] {
  return parseAllDocuments(text)
    .map((document, index) => {
      if (document.errors.length > 0) {
        throw new Error(`${source}: document ${index + 1}: ${document.errors[0].message}`);
      }
      return document.toJS() as unknown;
    })
    .filter((value) => value !== null && value !== undefined)
    .map((value, index) => {
      const object = value as Partial<KubernetesObject>;
      if (
        typeof object !== 'object' ||
        typeof object.apiVersion !== 'string' ||
        typeof object.kind !== 'string'
      ) {
        throw new Error(`${source}: document ${index + 1} has no apiVersion and kind`);
      }
      return object as KubernetesObject;
    });
}
