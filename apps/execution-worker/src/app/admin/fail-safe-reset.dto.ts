import { IsOptional, IsString, Length } from 'class-validator';

/**
 * Body of POST /admin/fail-safe/reset. Every field optional: no brokerId resets every guard, a brokerId alone every
 * account of that broker, with an accountId that one account's.
 */
export class FailSafeResetDto {
  @IsOptional()
  @IsString()
  @Length(1, 64)
  brokerId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 64)
  accountId?: string;

  @IsOptional()
  @IsString()
  @Length(0, 500)
  reason?: string;
}
