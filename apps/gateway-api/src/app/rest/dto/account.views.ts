import { ApiProperty } from '@nestjs/swagger';

export class BalanceDoc {
  @ApiProperty({ example: '50012345-01' })
  accountId!: string;

  @ApiProperty({ example: '100000000', description: 'Decimal string' })
  totalEquity!: string;

  @ApiProperty({ example: '90000000' })
  cashBalance!: string;

  @ApiProperty({ example: '90000000' })
  buyingPower!: string;

  @ApiProperty({ example: 'KRW' })
  currency!: string;
}

export class PositionDoc {
  @ApiProperty({ example: '50012345-01' })
  accountId!: string;

  @ApiProperty({ example: '005930' })
  symbol!: string;

  @ApiProperty({ example: '삼성전자' })
  symbolName!: string;

  @ApiProperty({ example: 10 })
  quantity!: number;

  @ApiProperty({ example: '71500', description: 'Decimal string' })
  avgPrice!: string;

  @ApiProperty({ example: '72000' })
  currentPrice!: string;

  @ApiProperty({ example: '720000' })
  marketValue!: string;

  @ApiProperty({ example: '5000' })
  unrealizedPnl!: string;

  @ApiProperty({ example: '0.7', description: 'Percent of the cost; "0" when avgPrice is 0' })
  unrealizedPnlPct!: string;
}

export class PositionListDoc {
  @ApiProperty({ example: '50012345-01' })
  accountId!: string;

  @ApiProperty({ type: [PositionDoc] })
  positions!: PositionDoc[];
}
