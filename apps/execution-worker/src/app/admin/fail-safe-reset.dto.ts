import { IsOptional, IsString, Length } from 'class-validator';

/** Body of POST /admin/fail-safe/reset. Both fields optional: no brokerId resets every tripped guard. */
export class FailSafeResetDto {
  @IsOptional()
  @IsString()
  @Length(1, 64)
  brokerId?: string;

  @IsOptional()
  @IsString()
  @Length(0, 500)
  reason?: string;
}
