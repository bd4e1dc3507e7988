import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_ORDER_QUANTITY, OrderSide, OrderType } from '@qts/broker-domain';
import { IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { IsOrderPrice } from '../../validation/krx-price.validator';
import { SYMBOL_MESSAGE, SYMBOL_PATTERN } from './route-params';

export class PlaceOrderBody {
  @ApiProperty({ example: '005930' })
  @IsString()
  @Matches(SYMBOL_PATTERN, { message: SYMBOL_MESSAGE })
  symbol!: string;

  @ApiProperty({ enum: OrderSide, example: OrderSide.BUY })
  @IsIn(Object.values(OrderSide), { message: 'side must be BUY or SELL' })
  side!: OrderSide;

  @ApiProperty({ enum: OrderType, example: OrderType.LIMIT })
  @IsIn(Object.values(OrderType), { message: 'orderType must be MARKET or LIMIT' })
  orderType!: OrderType;

  @ApiProperty({ example: 10, minimum: 1, maximum: MAX_ORDER_QUANTITY, description: 'Shares, a JSON integer' })
  @IsInt({ message: 'quantity must be an integer number of shares' })
  @Min(1, { message: 'quantity must be at least 1' })
  @Max(MAX_ORDER_QUANTITY, { message: `quantity must be at most ${MAX_ORDER_QUANTITY}` })
  quantity!: number;

  @ApiPropertyOptional({
    example: '71500',
    description: 'LIMIT only: decimal string on the KRX tick grid. Must be absent for MARKET orders.',
  })
  @IsOrderPrice()
  price?: string;
}

