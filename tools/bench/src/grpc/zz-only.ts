import { runGrpcThroughputBench } from './grpc-throughput.bench';
runGrpcThroughputBench(Number(process.env['REPS'] ?? 3), (l) => console.log(l)).then((rows) => console.log(JSON.stringify(rows, null, 1)), (e) => { console.error(e); process.exit(1); });
