import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadSync, type Options, type PackageDefinition } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { ALL_PROTO_FILES } from './proto-files';
import { PROTO_ROOT } from './proto-root';

/**
 * proto-loader options that give objects of the same shape as the ts-proto types in this library:
 * camelCase keys (keepCase false), int64 as number (forceLong=number), enums as their proto names
 * (stringEnums=true), every scalar present (defaults) and the name of the set oneof member (oneofs).
 */
export const PROTO_LOADER_OPTIONS: Readonly<Options> = Object.freeze({
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
});

/** The standard health proto, from the grpc-health-check package, as loaders address it. */
const HEALTH_PROTO_FILE = 'health/v1/health.proto';
const HEALTH_INCLUDE_DIR = path.resolve(path.dirname(healthProtoPath), '..', '..');

export interface LoadPackageDefinitionOptions {
  /** Folder holding jts/ and qts/; defaults to PROTO_ROOT. */
  protoRoot?: string;
  /**
   * Also load grpc.health.v1.Health (from grpc-health-check), so that a server reflection service built
   * from the definition lists the health service beside the application's own.
   */
  includeHealth?: boolean;
}

/**
 * Loads proto files (paths relative to the proto root, e.g. 'jts/v1/trading.proto') with
 * @grpc/proto-loader and PROTO_LOADER_OPTIONS, for grpc.loadPackageDefinition or
 * `new ReflectionService(definition)`. Throws naming the file and the folder when a file is missing.
 */
export function loadPackageDefinition(
  files: readonly string[] = ALL_PROTO_FILES,
  options: LoadPackageDefinitionOptions = {},
): PackageDefinition {
  const protoRoot = options.protoRoot ?? PROTO_ROOT;
  for (const file of files) {
    if (!existsSync(path.join(protoRoot, file))) {
      throw new Error(
        `Proto file ${file} not found under ${protoRoot}: run from the repository, or copy proto/ next to the bundle`,
      );
    }
  }
  const includeDirs = [protoRoot];
  const allFiles = [...files];
  if (options.includeHealth) {
    includeDirs.push(HEALTH_INCLUDE_DIR);
    allFiles.push(HEALTH_PROTO_FILE);
  }
  return loadSync(allFiles, { ...PROTO_LOADER_OPTIONS, includeDirs });
}
