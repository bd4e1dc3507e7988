import { createRequire } from 'node:module';
import type { KubernetesObject } from './kubernetes-objects';

interface KubernetesModel {
  validate(): void;
}
type KubernetesModelClass = (new (data: unknown) => KubernetesModel) & { prototype: KubernetesModel };

const loadModule = createRequire(__filename);

/**
 * The kubernetes-models class of an object (`apps/v1` + `Deployment` -> kubernetes-models/apps/v1/Deployment), whose
 * validate() checks the object against the Kubernetes OpenAPI schema. Undefined for a kind the package does not
 * know (a custom resource, or a typo in apiVersion or kind).
 */
export function kubernetesModelOf(apiVersion: string, kind: string): KubernetesModelClass | undefined {
  if (!/^([a-z0-9.-]+\/)?v\d+[a-z0-9]*$/.test(apiVersion) || !/^[A-Z][A-Za-z0-9]*$/.test(kind))
    return undefined;
  try {
    const module = loadModule(`kubernetes-models/${apiVersion}/${kind}`) as Record<string, unknown>;
    return typeof module[kind] === 'function' ? (module[kind] as KubernetesModelClass) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Problems of one object against the Kubernetes OpenAPI schemas: types, required fields, enums and formats (the
 * schema validation of kubernetes-models), and fields the schema does not define. The API server refuses those
 * under strict field validation (kubectl's default), while the schemas alone let them through: a misspelt
 * `readinessprobe` would otherwise vanish without a word.
 */
export function schemaProblems(object: KubernetesObject): string[] {
  const Model = kubernetesModelOf(object.apiVersion, object.kind);
  if (Model === undefined) {
    return [`no Kubernetes schema for apiVersion ${object.apiVersion}, kind ${object.kind}`];
  }
  try {
    new Model(object).validate();
  } catch (error) {
    return [(error as Error).message];
  }
  const tracked = trackFieldReads(object, '');
  Model.prototype.validate.call(tracked.proxy as KubernetesModel);
  return tracked
    .unreadFields()
    .map((path) => `${path} is not a field of ${object.kind} (${object.apiVersion})`);
}

interface TrackedValue {
  proxy: unknown;
  unreadFields(): string[];
}

/**
 * Wraps a parsed object so that a schema validator's reads are recorded. The generated validators read each field
 * their schema declares, and enumerate the keys of maps (labels, ConfigMap data); a field of a structured object
 * that was never read is one the schema does not know.
 */
function trackFieldReads(value: object, path: string): TrackedValue {
  const read = new Set<string>();
  const children = new Map<string, TrackedValue>();
  let enumerated = false;
  const proxy = new Proxy(value, {
    get(target, key, receiver) {
      const child = Reflect.get(target, key, receiver) as unknown;
      if (typeof key !== 'string') return child;
      read.add(key);
      if (child === null || typeof child !== 'object') return child;
      let tracked = children.get(key);
      if (tracked === undefined) {
        tracked = trackFieldReads(child, `${path}/${key}`);
        children.set(key, tracked);
      }
      return tracked.proxy;
    },
    has(target, key) {
      if (typeof key === 'string') read.add(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      enumerated = true;
      return Reflect.ownKeys(target);
    },
  });
  return {
    proxy,
    unreadFields: () => {
      const unread =
        enumerated || Array.isArray(value)
          ? []
          : Object.keys(value)
              .filter((key) => !read.has(key))
              .map((key) => `${path}/${key}`);
      for (const child of children.values()) unread.push(...child.unreadFields());
      return unread;
    },
  };
}
