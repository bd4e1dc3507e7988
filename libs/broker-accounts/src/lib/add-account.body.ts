import { ApiProperty } from '@nestjs/swagger';
import { BROKER_ID_PATTERN, BrokerParams } from '@qts/service-infra';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { ACCOUNT_NAME_MAX_LENGTH, ACCOUNT_NUMBER_MAX_LENGTH } from './new-account-rules';

/** Body of an account addition (the gateway's POST /api/v1/brokers/:brokerId/accounts; the worker's twin). */
export class AddAccountBody {
  @ApiProperty({ example: '50012345-02', description: "The broker's account number: letters and digits, dash-separated groups" })
  @IsString()
  @Length(1, ACCOUNT_NUMBER_MAX_LENGTH)
  accountId!: string;

  @ApiProperty({ example: '모의투자 2', maxLength: ACCOUNT_NAME_MAX_LENGTH })
  @IsString()
  @Length(1, ACCOUNT_NAME_MAX_LENGTH)
  name!: string;

  @ApiProperty({ enum: ['REAL', 'PAPER'], description: 'REAL (실전투자) or PAPER (모의투자)' })
  @IsIn(['REAL', 'PAPER'])
  type!: 'REAL' | 'PAPER';
}

/** The worker's body names the broker too (its route is not under a broker). */
export class AddBrokerAccountBody extends AddAccountBody {
  @ApiProperty({ example: 'kis' })
  @IsString()
  @Matches(BROKER_ID_PATTERN, { message: 'brokerId must be a configured broker id (lower-case letters, digits, dashes)' })
  brokerId!: string;
}

/** Route parameters naming one account of one broker. */
export class BrokerAccountParams extends BrokerParams {
  @ApiProperty({ example: '50012345-02' })
  @IsString()
  @Matches(/^[0-9A-Za-z-]{1,32}$/, { message: 'accountId must be 1-32 letters, digits or dashes' })
  accountId!: string;
}
