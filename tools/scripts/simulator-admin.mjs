#!/usr/bin/env node
// Calls the JTS simulator's admin API (qts.simulator.v1.SimulatorAdminService) without grpcurl:
//   node tools/scripts/simulator-admin.mjs <Method> ['<json request>'] [--admin host:port]
// e.g.
//   node tools/scripts/simulator-admin.mjs GetStats
//   node tools/scripts/simulator-admin.mjs SetFaults '{"brokerId":"kis","faults":{"latency":{"latencyMs":2000,"rpcs":["PlaceOrder"]}}}'
//   node tools/scripts/simulator-admin.mjs Down '{"brokerId":"kis"}'
// Field names are the proto's in camelCase. Prints the answer as JSON; exits 1 with the gRPC status on error.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const adminAt = args.indexOf('--admin');
const address = adminAt >= 0 ? args.splice(adminAt, 2)[1] : '127.0.0.1:50060';
const [method, json = '{}'] = args;

const definition = protoLoader.loadSync('qts/simulator/v1/simulator_admin.proto', {
  includeDirs: [join(root, 'proto')],
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
});
const Admin = grpc.loadPackageDefinition(definition).qts.simulator.v1.SimulatorAdminService;
const rpc = Object.keys(Admin.service).find((name) => name.toLowerCase() === String(method).toLowerCase());
if (!rpc) {
  console.error(`usage: simulator-admin.mjs <${Object.keys(Admin.service).join('|')}> ['<json request>'] [--admin host:port]`);
  process.exit(2);
}

const client = new Admin(address, grpc.credentials.createInsecure());
client[rpc](JSON.parse(json), { deadline: Date.now() + 10_000 }, (error, response) => {
  client.close();
  if (error) {
    console.error(`${grpc.status[error.code] ?? error.code}: ${error.details}`);
    process.exit(1);
  }
  console.log(JSON.stringify(response, null, 2));
});
