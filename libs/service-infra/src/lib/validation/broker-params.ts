import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

/** A broker id as the brokers YAML allows it. */
export const BROKER_ID_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

const BROKER_ID_MESSAGE = 'brokerId must be a configured broker id (lower-case letters, digits, dashes)';

/** Route parameters (or request fields) that name a broker. */
export class BrokerParams {
  @ApiProperty({ example: 'kis' })
  @IsString()
  @Matches(BROKER_ID_PATTERN, { message: BROKER_ID_MESSAGE })
  brokerId!: string;
}
