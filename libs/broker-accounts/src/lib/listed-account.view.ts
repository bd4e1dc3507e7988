import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI shape of a ListedAccount. */
export class ListedAccountView {
  @ApiProperty({ example: 'kis' })
  brokerId!: string;

  @ApiProperty({ example: '50012345-02' })
  id!: string;

  @ApiProperty({ example: '모의투자 2' })
  name!: string;

  @ApiProperty({ enum: ['REAL', 'PAPER'] })
  type!: string;

  @ApiProperty()
  isDefault!: boolean;

  @ApiProperty({ enum: ['config', 'runtime'], description: 'config: the brokers YAML (read-only here); runtime: added through the API' })
  source!: string;

  @ApiProperty({ description: 'false once deactivated: no new orders' })
  active!: boolean;

  @ApiPropertyOptional({ format: 'date-time' })
  addedAt?: string;

  @ApiPropertyOptional({ description: 'Name of the API key that added it' })
  addedBy?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  deactivatedAt?: string;
}

export class AccountListView {
  @ApiProperty({ type: [ListedAccountView] })
  accounts!: ListedAccountView[];
}
