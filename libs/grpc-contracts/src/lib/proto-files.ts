/**
 * The proto files of this repository, as paths relative to the proto root (the import paths the files
 * use among themselves). Runtime loaders resolve imports through the root, so the service files alone
 * are enough to load a service; ALL_PROTO_FILES also lists the files that only hold shared types.
 */
export const JTS_PROTO_FILES = [
  'jts/v1/common.proto',
  'jts/v1/market_data.proto',
  'jts/v1/trading.proto',
] as const;

export const QTS_TYPE_PROTO_FILES = ['qts/type/v1/market.proto', 'qts/type/v1/order.proto'] as const;

export const GATEWAY_PROTO_FILES = ['qts/gateway/v1/gateway.proto'] as const;

export const EXECUTION_PROTO_FILES = ['qts/execution/v1/execution.proto'] as const;

/** The JTS simulator's admin API (tools/jts-simulator); it imports jts/v1 for the Order message. */
export const SIMULATOR_PROTO_FILES = ['qts/simulator/v1/simulator_admin.proto'] as const;

export const ALL_PROTO_FILES = [
  ...JTS_PROTO_FILES,
  ...QTS_TYPE_PROTO_FILES,
  ...GATEWAY_PROTO_FILES,
  ...EXECUTION_PROTO_FILES,
  ...SIMULATOR_PROTO_FILES,
] as const;

export type ProtoFile = (typeof ALL_PROTO_FILES)[number];
