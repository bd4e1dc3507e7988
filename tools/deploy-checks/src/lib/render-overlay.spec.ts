import { parseManifests, renderOverlay } from './render-overlay';

describe('parseManifests', () => {
  it('reads every object of a multi-document stream and skips empty documents', () => {
    const objects = parseManifests(
      'apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: ConfigMap\n',
      'test',
    );
    expect(objects.map((object) => object.kind)).toEqual(['Service', 'ConfigMap']);
  });

  it('refuses a document that is not a Kubernetes object, or not YAML', () => {
    expect(() => parseManifests('kind: Service\n', 'overlay')).toThrow(
      'overlay: document 1 has no apiVersion and kind',
    );
    expect(() => parseManifests('a: [1\n', 'overlay')).toThrow(/^overlay: document 1: /);
  });
});

describe('renderOverlay', () => {
  it('says how to get kubectl when it is missing', () => {
    expect(() => renderOverlay('deploy/overlays/prod', process.cwd(), 'kubectl-that-does-not-exist')).toThrow(
      'kubectl is not installed: .ci/run installs it (Debian package kubectl or kubernetes-client)',
    );
  });
});
