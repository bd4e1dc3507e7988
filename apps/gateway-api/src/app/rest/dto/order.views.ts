import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OrderSide, OrderStatus, OrderType } from '@qts/broker-domain';

export class OrderDoc {
  @ApiProperty({ example: '0000117', description: 'The broker order id' })
  id!: string;

  @ApiPropertyOptional({ example: 'gw-3f2a...', description: 'Idempotency key sent to the broker' })
  clientOrderId?: string;

  @ApiPropertyOptional({ example: 'kis' })
  brokerId?: string;

  @ApiProperty({ example: '50012345-01' })
  accountId!: string;

  @ApiProperty({ example: '005930' })
  symbol!: string;

  @ApiProperty({ enum: OrderSide })
  side!: OrderSide;

  @ApiProperty({ enum: OrderType })
  orderType!: OrderType;

  @ApiProperty({ example: 10 })
  quantity!: number;

  @ApiPropertyOptional({ example: '71500', description: 'Decimal string; absent for MARKET orders' })
  price?: string;

  @ApiProperty({ enum: OrderStatus })
  status!: OrderStatus;

  @ApiProperty({ example: 0 })
  filledQuantity!: number;

  @ApiProperty({ example: 10 })
  remainingQuantity!: number;

  @ApiPropertyOptional({ example: '71500', description: 'Decimal string' })
  avgFillPrice?: string;

  @ApiPropertyOptional()
  message?: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}
