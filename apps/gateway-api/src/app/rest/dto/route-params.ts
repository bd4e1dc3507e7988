import { ApiProperty } from '@nestjs/swagger';
import { BrokerParams } from '@qts/service-infra';
import { IsString, Matches } from 'class-validator';

export const SYMBOL_PATTERN = /^[0-9A-Z]{6}$/;
export const ACCOUNT_ID_PATTERN = /^[0-9A-Za-z-]{1,32}$/;
export const ORDER_ID_PATTERN = /^[0-9A-Za-z._:-]{1,64}$/;

const SYMBOL_MESSAGE = "symbol must be a 6-character KRX code such as '005930'";

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

export { BrokerParams, SYMBOL_MESSAGE };
