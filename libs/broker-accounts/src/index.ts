// The accounts of every broker: those of the brokers YAML and those added at run time, stored by each service in
// its own table and used at once, without a restart.
export * from './lib/listed-account';
export * from './lib/new-account-rules';
export * from './lib/account-conflict.error';
export * from './lib/runtime-account.entity';
export * from './lib/runtime-accounts-table';
export * from './lib/runtime-account-store';
export * from './lib/account-directory';
export * from './lib/broker-accounts.module';
export * from './lib/add-account.body';
export * from './lib/listed-account.view';
export * from './lib/mock-broker-accounts';
