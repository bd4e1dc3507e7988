export const CLI_USAGE = `Usage: jts-simulator [options]

A JTS-compatible gRPC server: one port per broker (jts.v1 MarketDataService, TradingService, health,
reflection) backed by the mock broker, with server-side rate limits and fault injection, plus an admin
API (qts.simulator.v1.SimulatorAdminService) on its own port.

Options:
  --config <file>           brokers.yaml to serve (default: $BROKERS_CONFIG or config/brokers.yaml);
                            every broker listed is served on its grpc.port
  --broker <id:TYPE:port[:preset]>
                            serve this broker instead of the file's list (repeatable); TYPE is KIS,
                            CREON or KIWOOM; port 0 picks a free port; preset kis-real, kis-paper,
                            creon, kiwoom or none (default: the file's rateLimit, else by type).
                            Accounts come from the file's broker of the same id, else a default one
  --admin-port <port>       admin API port (default 50060; 0 picks a free port)
  --host <address>          address every port listens on (default 127.0.0.1)
  --seed <integer>          seed of the mock market and of the error-rate draws (default 42)
  --latency-ms <ms>         latency added to every answer, after processing (default 0)
  --error-rate <0..1>       share of calls failed before processing (default 0)
  --error-code <code>       gRPC code of those failures (default UNAVAILABLE)
  --quote-interval-ms <ms>  interval between quote batches of StreamQuotes (default 500)
  --refuse                  start with the broker ports closed (connections refused) until the
                            admin API's Up brings them up
  --log-level <level>       silent, error, warn, info or debug (default info; logs go to stderr)
  -h, --help                print this help

When every port listens it prints one line to stdout:
  JTS_SIMULATOR_READY {"admin":50060,"brokers":{"kis":50061,...}}
SIGINT or SIGTERM stops it cleanly.
`;
