import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

export const SETTLEMENT_RESOLUTIONS = ['AT_BROKER', 'NEVER_REACHED'] as const;
export type SettlementResolution = (typeof SETTLEMENT_RESOLUTIONS)[number];

/**
 * Body of POST /admin/orders/:intentId/settle: what an operator found at the broker (HTS/MTS) for an order the worker
 * flagged for them. AT_BROKER needs the broker's order number; NEVER_REACHED takes none. The reason is kept in the
 * order's message and the log.
 */
export class OrderSettlementDto {
  @IsIn(SETTLEMENT_RESOLUTIONS)
  resolution!: SettlementResolution;

  @IsOptional()
  @IsString()
  @Matches(/^[0-9A-Za-z-]{1,32}$/, { message: 'brokerOrderId must be the broker order number: 1 to 32 letters, digits or -' })
  brokerOrderId?: string;

  @IsString()
  @Length(1, 500)
  reason!: string;
}
