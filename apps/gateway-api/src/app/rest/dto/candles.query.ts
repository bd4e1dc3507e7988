import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TIMEFRAMES } from '@qts/broker-domain';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { DEFAULT_CANDLE_PAGE_SIZE, MAX_CANDLE_PAGE_SIZE } from '../../market-data/candle-range';
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

  @ApiProperty({ example: '2024-01-31T00:00:00Z', description: 'ISO-8601, inclusive; the range may be of any length (answered a page at a time)' })
  @IsString()
  end!: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_CANDLE_PAGE_SIZE,
    default: DEFAULT_CANDLE_PAGE_SIZE,
    description: 'Bars per page, counted in trading time (a page holds fewer on holidays)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(MAX_CANDLE_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page of the same query' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  cursor?: string;
}
