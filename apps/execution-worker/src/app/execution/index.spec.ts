import * as adapters from '../adapters';
import * as execution from '.';

describe('execution public API (the contract the worker service consumes)', () => {
  it('exports the contract names from ./execution', () => {
    expect(typeof execution.intentToOrderRequest).toBe('function');
    expect(typeof execution.orderResponseToExecutionResponse).toBe('function');
    expect(typeof execution.OrderAdapterBrokerEngine).toBe('function');
    expect(typeof execution.ConsecutiveFailureGuard).toBe('function');
    expect(typeof execution.LiveBroker).toBe('function');
    expect(typeof execution.NoopBroker).toBe('function');
    expect(typeof execution.createBrokerForExecution).toBe('function');
    expect(typeof execution.BROKER_FACTORY).toBe('symbol');
    expect(typeof execution.ExecutionEngineModule.forRoot).toBe('function');
    expect(typeof execution.getBroker).toBe('function');
    expect(typeof execution.getBrokerForConfig).toBe('function');
    expect(execution.BROKER_FAIL_SAFE_TABLE).toBe(adapters.BROKER_FAIL_SAFE_TABLE);
  });

  it('does not export the test-only MockBroker', () => {
    expect(Object.keys(execution)).not.toContain('MockBroker');
    expect(Object.keys(adapters)).not.toContain('MockBroker');
  });

  it('exports the adapters, their payload builders, parsers, status maps and error mappers', () => {
    for (const name of [
      'JtsOrderAdapter',
      'KisOrderAdapter',
      'KisHttpClient',
      'buildKisOrderPayload',
      'buildKisCancelPayload',
      'parseKisPlaceResponse',
      'KIS_STATUS_TO_ORDER_STATUS',
      'mapKisErrorToFailSafe',
      'KiwoomOrderAdapter',
      'KiwoomHttpClient',
      'buildKiwoomOrderPayload',
      'buildKiwoomCancelPayload',
      'parseKiwoomPlaceResponse',
      'KIWOOM_STATUS_TO_ORDER_STATUS',
      'KIWOOM_ERROR_TO_SAFETY',
      'mapKiwoomErrorToFailSafe',
    ]) {
      expect(adapters).toHaveProperty(name);
    }
  });
});
