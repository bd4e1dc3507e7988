import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Market, TIMEFRAMES } from '@qts/broker-domain';

export class StockSymbolDoc {
  @ApiProperty({ example: '005930' })
  code!: string;

  @ApiProperty({ example: '삼성전자' })
  name!: string;

  @ApiProperty({ enum: Market })
  market!: Market;

  @ApiPropertyOptional({ example: 'Electronics' })
  sector?: string;

  @ApiPropertyOptional({ example: 'Samsung Electronics' })
  englishName?: string;
}

export class SymbolListDoc {
  @ApiProperty({ example: 'kis' })
  brokerId!: string;

  @ApiProperty({ type: [StockSymbolDoc] })
  symbols!: StockSymbolDoc[];
}

export class CandleDoc {
  @ApiProperty({ example: '005930' })
  symbol!: string;

  @ApiProperty({ enum: TIMEFRAMES })
  timeframe!: string;

  @ApiProperty({ format: 'date-time', description: 'Start of the bar (UTC)' })
  timestamp!: string;

  @ApiProperty({ example: '71500', description: 'Decimal string' })
  open!: string;

  @ApiProperty({ example: '72000' })
  high!: string;

  @ApiProperty({ example: '71000' })
  low!: string;

  @ApiProperty({ example: '71800' })
  close!: string;

  @ApiProperty({ example: 1234567 })
  volume!: number;
}

export class CandleListDoc {
  @ApiProperty({ example: 'kis' })
  brokerId!: string;

  @ApiProperty({ example: '005930' })
  symbol!: string;

  @ApiProperty({ enum: TIMEFRAMES })
  timeframe!: string;

  @ApiProperty({ enum: ['broker', 'cache'], description: 'Also sent as the X-Data-Source header' })
  source!: string;

  @ApiProperty({ type: [CandleDoc] })
  candles!: CandleDoc[];

  @ApiPropertyOptional({ description: 'Present when bars may follow: pass it as `cursor` with the same query' })
  nextCursor?: string;
}

export class QuoteDoc {
  @ApiProperty({ example: '005930' })
  symbol!: string;

  @ApiProperty({ example: '71500', description: 'Decimal string' })
  price!: string;

  @ApiPropertyOptional({ example: '71000' })
  open?: string;

  @ApiPropertyOptional({ example: '72000' })
  high?: string;

  @ApiPropertyOptional({ example: '70900' })
  low?: string;

  @ApiPropertyOptional({ example: '71200' })
  previousClose?: string;

  @ApiProperty({ example: '300' })
  change!: string;

  @ApiProperty({ example: '0.42', description: 'Percent of previousClose' })
  changeRate!: string;

  @ApiProperty({ example: '71500' })
  bid!: string;

  @ApiProperty({ example: '71600' })
  ask!: string;

  @ApiProperty({ example: 120 })
  bidSize!: number;

  @ApiProperty({ example: 80 })
  askSize!: number;

  @ApiProperty({ example: 1234567 })
  volume!: number;

  @ApiProperty({ format: 'date-time' })
  timestamp!: string;
}
