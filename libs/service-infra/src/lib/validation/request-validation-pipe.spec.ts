import type { ArgumentMetadata } from '@nestjs/common';
import { IsString, Matches } from 'class-validator';
import { RequestValidationError } from '../errors/platform-errors';
import { BrokerParams } from './broker-params';
import { RequestValidationPipe } from './request-validation-pipe';

class StrictParams {
  @IsString()
  @Matches(/^[a-z]{3}$/, { message: 'brokerId must be three letters' })
  brokerId!: string;
}

const asParams = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'param', metatype });

describe('RequestValidationPipe on route parameters', () => {
  it('gives each request its own instance of the parameter class, also for a value that passed before', async () => {
    const pipe = new RequestValidationPipe();
    const first = await pipe.transform({ brokerId: 'kis' }, asParams(BrokerParams));
    const second = await pipe.transform({ brokerId: 'kis' }, asParams(BrokerParams));
    expect(first).toBeInstanceOf(BrokerParams);
    expect(second).toBeInstanceOf(BrokerParams);
    expect(second).toEqual({ brokerId: 'kis' });
    expect(second).not.toBe(first);
    (second as BrokerParams).brokerId = 'changed';
    expect(await pipe.transform({ brokerId: 'kis' }, asParams(BrokerParams))).toEqual({ brokerId: 'kis' });
  });

  it('refuses a bad value every time, naming the field', async () => {
    const pipe = new RequestValidationPipe();
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const refusal = pipe.transform({ brokerId: 'NOT A BROKER' }, asParams(BrokerParams));
      await expect(refusal).rejects.toBeInstanceOf(RequestValidationError);
      await expect(refusal).rejects.toThrow('brokerId');
    }
  });

  it('judges a value by the rules of the class it is given for: passing one class does not pass another', async () => {
    const pipe = new RequestValidationPipe();
    await expect(pipe.transform({ brokerId: 'kiwoom' }, asParams(BrokerParams))).resolves.toEqual({ brokerId: 'kiwoom' });
    await expect(pipe.transform({ brokerId: 'kiwoom' }, asParams(StrictParams))).rejects.toThrow('brokerId must be three letters');
  });

  it('refuses fields the class does not declare, also next to values that passed', async () => {
    const pipe = new RequestValidationPipe();
    await pipe.transform({ brokerId: 'kis' }, asParams(BrokerParams));
    await expect(pipe.transform({ brokerId: 'kis', extra: 'x' }, asParams(BrokerParams))).rejects.toThrow('extra');
  });
});
