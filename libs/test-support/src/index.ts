// Test helpers of the platform: free ports, polling, the JTS simulator and PostgreSQL as real processes, and the
// builders of configurations and intents.
// Only test files (*.spec.ts, *.int-spec.ts) may import this library (enforced by module boundaries).
export { getFreePort, getFreePorts, isAddressInUse, startOnFreePort } from './lib/get-free-port';
export type { StartOnFreePortOptions } from './lib/get-free-port';
export { waitFor } from './lib/wait-for';
export type { WaitForOptions } from './lib/wait-for';
export { startSimulatorProcess, SIMULATOR_READY_PREFIX } from './lib/simulator-process';
export type { SimulatorProcess, StartSimulatorOptions } from './lib/simulator-process';
export { SimulatorAdminClient } from './lib/simulator-admin-client';
export type { SimulatorAdminClientOptions, SimulatorFaultsInput } from './lib/simulator-admin-client';
export { writeBrokersConfig } from './lib/brokers-config-file';
export type { WriteBrokersConfigOptions } from './lib/brokers-config-file';
export { DEFAULT_SIMULATOR_BROKERS } from './lib/simulator-broker-spec';
export type { SimulatorAccountSpec, SimulatorBrokerSpec } from './lib/simulator-broker-spec';
export { findRepositoryRoot, simulatorMainPath } from './lib/repository-root';
export { findPostgresBinary, startPostgres } from './lib/postgres-server';
export type { PostgresServer, StartPostgresOptions } from './lib/postgres-server';
export {
  MOCK_GATEWAY_ACCOUNTS,
  mockBrokerConfig,
  ON_MOCK_BROKER,
  TEST_ACCOUNTS,
  TEST_WORKER_SETTINGS,
  testAccounts,
  testBrokerConfig,
  testIntent,
  testPlatformConfig,
} from './lib/platform-fixtures';
export type { TestPlatformConfigOverrides } from './lib/platform-fixtures';
export { startRestSimulatorProcess, restSimulatorMainPath, REST_SIMULATOR_READY_PREFIX } from './lib/rest-simulator-process';
export type {
  RestBrokerStats,
  RestFaultsInput,
  RestLedgerOrder,
  RestSimulatorBrokerSpec,
  RestSimulatorProcess,
  StartRestSimulatorOptions,
} from './lib/rest-simulator-process';
export { redisServerBinary, startRedisServer } from './lib/redis-server';
export type { RedisServerProcess, StartRedisServerOptions } from './lib/redis-server';
export { createTestCertificates } from './lib/test-certificates';
export type { TestCertificates } from './lib/test-certificates';
export { startBuiltApp } from './lib/built-app-process';
export type { BuiltAppExit, BuiltAppName, BuiltAppProcess } from './lib/built-app-process';
export { startBrokerBench, TRANSPORTS_UNDER_TEST } from './lib/broker-bench';
export type { BenchBroker, BenchEntryOptions, BenchOrder, BenchOperation, BrokerBench, BrokersYamlEntry, TransportUnderTest } from './lib/broker-bench';
export { listeningUrl, openConsoleStream } from './lib/console-stream-reader';
export type { ConsoleStreamReader } from './lib/console-stream-reader';
