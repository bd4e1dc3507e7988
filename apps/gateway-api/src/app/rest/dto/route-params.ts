import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

export const BROKER_ID_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
export const SYMBOL_PATTERN = /^[0-9A-Z]{6}$/;
export const ACCOUNT_ID_PATTERN = /^[0-9A-Za-z-]{1,32}$/;
export const ORDER_ID_PATTERN = /^[0-9A-Za-z._:-]{1,64}$/;

const BROKER_ID_MESSAGE = 'brokerId must be a configured broker id (lower-case letters, digits, dashes)';
const SYMBOL_MESSAGE = "symbol must be a 6-character KRX code such as '005930'";

export class BrokerParams {
  @ApiProperty({ example: 'kis' })
  @IsString()
  @Matches(BROKER_ID_PATTERN, { message: BROKER_ID_MESSAGE })
  brokerId!: string;
}

export class SymbolParams extends BrokerParams {
  @ApiProperty({ example: '005930' })
  @IsString()
  @Matches(SYMBOL_PATTERN, { message: SYMBOL_MESSAGE })
  symbol!: string;
}

export class AccountParams extends BrokerParams {
  @ApiProperty({ example: '50012345-01' })
  @IsString()
  @Matches(ACCOUNT_ID_PATTERN, { message: 'accountId must be 1-32 letters, digits or dashes' })
  accountId!: string;
}

export class OrderParams extends BrokerParams {
  @ApiProperty({ example: '0000117' })
  @IsString()
  @Matches(ORDER_ID_PATTERN, { message: 'orderId must be 1-64 letters, digits or . _ : -' })
  orderId!: string;
}

export { SYMBOL_MESSAGE };
