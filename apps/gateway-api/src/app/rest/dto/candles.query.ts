import { ApiProperty } from '@nestjs/swagger';
import { TIMEFRAMES } from '@qts/broker-domain';
import { IsIn, IsString, Matches } from 'class-validator';
import { SYMBOL_MESSAGE, SYMBOL_PATTERN } from './route-params';

export class CandlesQuery {
  @ApiProperty({ example: '005930' })
  @IsString()
  @Matches(SYMBOL_PATTERN, { message: SYMBOL_MESSAGE })
  symbol!: string;

  @ApiProperty({ enum: TIMEFRAMES, example: '1d' })
  @IsIn(TIMEFRAMES, { message: `timeframe must be one of ${TIMEFRAMES.join(', ')}` })
  timeframe!: string;

  @ApiProperty({ example: '2024-01-02T00:00:00Z', description: 'ISO-8601, inclusive (date-only = UTC midnight)' })
  @IsString()
  start!: string;

  @ApiProperty({ example: '2024-01-31T00:00:00Z', description: 'ISO-8601, inclusive; at most 50,000 bars after start' })
  @IsString()
  end!: string;
}
