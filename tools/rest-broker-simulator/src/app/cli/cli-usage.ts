export const CLI_USAGE = `rest-broker-simulator: KIS- and Kiwoom-shaped REST APIs over a deterministic mock market.

  node dist/tools/rest-broker-simulator/main.js [flags]

  --broker id:TYPE:port[:preset]   serve this broker (repeatable); TYPE KIS or KIWOOM; port 0 picks a free one;
                                   preset kis-real, kis-paper (default for KIS), kiwoom (default), none.
                                   Default: kis:KIS:50071:kis-paper and kiwoom:KIWOOM:50073:kiwoom
  --account id:account[:REAL|PAPER]  accounts of a broker (repeatable; the first replaces the default
                                   50012345-01 for KIS, 5012345601 for Kiwoom)
  --rule id:ruleId:limit:windowMs  replace a rule of the broker's preset (e.g. kis:token:1:2000)
  --admin-port <port>              admin API (default 50070; 0 picks one)
  --host <address>                 address of every port (default 127.0.0.1)
  --seed <n>                       seed of the mock market and the error-rate draws (default 42)
  --token-ttl-ms <ms>              lifetime of issued access tokens (default 86400000, as the brokers)
  --accept-app-key <key>           accept only these app keys (repeatable; default: any)
  --latency-ms <ms>                latency added to every answer, after processing
  --error-rate <0..1>              share of requests failed before processing
  --error-status <400..599>        HTTP status of those failures (default 500)
  --refuse                         start with the broker ports closed until the admin API's up
  --log-level <level>              silent, error, warn, info (default), debug
  -h, --help                       this text

Prints one line when every port listens:
  REST_BROKER_SIMULATOR_READY {"admin":50070,"brokers":{"kis":50071,"kiwoom":50073}}
`;
