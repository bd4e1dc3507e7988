import type { MethodDefinition } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';

/**
 * A request the service's deserializer could not decode (not protobuf, truncated, an int64 beyond JavaScript's safe
 * integers). grpc-js answers a throwing deserializer with INTERNAL; the kit's deserializers return this instead, and
 * the server answers INVALID_ARGUMENT with `problem` before any handler runs.
 */
export class UndecodableGrpcRequest {
  constructor(
    readonly problem: string,
    /** The proto field at fault, when one is known. */
    readonly field?: string,
  ) {}
}

/** The 64-bit varint fields of a request message, by field number: their proto names and how they are read. */
type IntegerFields = ReadonlyMap<number, { name: string; read: 'int64' | 'uint64' | 'sint64' }>;

const VARINT_64_TYPES: Readonly<Record<string, 'int64' | 'uint64' | 'sint64'>> = {
  TYPE_INT64: 'int64',
  TYPE_UINT64: 'uint64',
  TYPE_SINT64: 'sint64',
};
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** What a decoder knows of one method's request message, from the proto files. */
export interface RequestMessageShape {
  /** 'SubmitIntentRequest' */
  typeName: string;
  integerFields: IntegerFields;
}

/** The request message of every method of `definition` (proto-loader's, with descriptors), by method path. */
export function requestMessageShapes(definition: PackageDefinition): Map<string, RequestMessageShape> {
  const shapes = new Map<string, RequestMessageShape>();
  for (const service of Object.values(definition)) {
    if (typeof service !== 'object' || service === null || 'format' in service) continue;
    for (const method of Object.values(service as Record<string, unknown>)) {
      const { path, requestType } = method as { path?: unknown; requestType?: { type?: DescriptorLike } };
      const type = requestType?.type;
      if (typeof path !== 'string' || type === undefined) continue;
      const integerFields = new Map<number, { name: string; read: 'int64' | 'uint64' | 'sint64' }>();
      for (const field of type.field ?? []) {
        const read = VARINT_64_TYPES[String(field.type)];
        if (read !== undefined) integerFields.set(Number(field.number), { name: String(field.name), read });
      }
      shapes.set(path, { typeName: String(type.name), integerFields });
    }
  }
  return shapes;
}

interface DescriptorLike {
  name?: unknown;
  field?: Array<{ name?: unknown; number?: unknown; type?: unknown }>;
}

/**
 * `method` with a request deserializer that never throws: a message it cannot decode becomes an
 * UndecodableGrpcRequest that says why, naming an int64 field whose value is beyond ±(2^53 - 1).
 */
export function withSafeRequestDecoding(
  method: MethodDefinition<unknown, unknown>,
  shape: RequestMessageShape | undefined,
): MethodDefinition<unknown, unknown> {
  const decode = method.requestDeserialize;
  return {
    ...method,
    requestDeserialize: (bytes: Buffer): unknown => {
      try {
        return decode(bytes);
      } catch {
        return describeUndecodable(bytes, shape);
      }
    },
  };
}

function describeUndecodable(bytes: Uint8Array, shape: RequestMessageShape | undefined): UndecodableGrpcRequest {
  const typeName = shape?.typeName ?? 'request';
  try {
    const reader = new BinaryReader(bytes);
    while (reader.pos < reader.len) {
      const [fieldNo, wireType] = reader.tag();
      const field = shape?.integerFields.get(fieldNo);
      if (field !== undefined && wireType === WireType.Varint) {
        const value = BigInt(reader[field.read]());
        if (value > MAX_SAFE || value < -MAX_SAFE) {
          return new UndecodableGrpcRequest(`${field.name} is beyond the safe integer range (±${Number.MAX_SAFE_INTEGER})`, field.name);
        }
      } else {
        reader.skip(wireType, fieldNo);
      }
    }
  } catch {
    // Not even the wire format: fall through to the general answer.
  }
  return new UndecodableGrpcRequest(`the request is not a valid ${typeName} message`);
}
