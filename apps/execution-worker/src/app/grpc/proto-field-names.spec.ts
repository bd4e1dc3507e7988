import { InvalidArgumentError, InvalidOrderError } from '@qts/broker-domain';
import { withProtoFieldNames } from './proto-field-names';

describe('withProtoFieldNames', () => {
  it('names the field of the SubmitIntentRequest in a bad argument', () => {
    const renamed = withProtoFieldNames(new InvalidArgumentError('limitPrice must be a positive finite Decimal', { field: 'limitPrice' }));
    expect(renamed).toBeInstanceOf(InvalidArgumentError);
    expect((renamed as InvalidArgumentError).message).toBe('limit_price must be a positive finite Decimal');
    expect((withProtoFieldNames(new InvalidArgumentError('not on the tick grid', { field: 'limitPrice' })) as Error).message).toBe(
      'limit_price: not on the tick grid',
    );
  });

  it('leaves a message without a field, and every other error, as it is', () => {
    const plain = new InvalidArgumentError('intent must be an object');
    expect(withProtoFieldNames(plain)).toBe(plain);
    const order = new InvalidOrderError('bad');
    expect(withProtoFieldNames(order)).toBe(order);
  });
});
