import { ApiProperty } from '@nestjs/swagger';
import { ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsString, Length, Matches } from 'class-validator';
import { API_KEY_SCOPES, type ApiKeyScope } from '@qts/service-infra';

export class CreateApiKeyBody {
  @ApiProperty({ example: 'backtest-team', description: 'What the key is for (1-100 printable characters).' })
  @IsString()
  @Length(1, 100)
  @Matches(/^[^\p{Cc}]+$/u, { message: 'name must not contain control characters' })
  name!: string;

  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true, example: ['read'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(API_KEY_SCOPES, { each: true, message: `each value in scopes must be one of ${API_KEY_SCOPES.join(', ')}` })
  scopes!: ApiKeyScope[];
}

export class ApiKeyIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsString()
  @Matches(/^[0-9a-f-]{36}$/, { message: 'id must be a key id (uuid)' })
  id!: string;
}

export class ApiKeySummaryView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true })
  scopes!: ApiKeyScope[];

  @ApiProperty({ example: 'qts_Ab3dE5fG', description: 'First characters of the key, to tell keys apart.' })
  keyPrefix!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  revokedAt!: string | null;
}

export class CreatedApiKeyView extends ApiKeySummaryView {
  @ApiProperty({ description: 'The key. Shown once: only its hash is stored.' })
  key!: string;
}

export class ApiKeyListView {
  @ApiProperty({ type: [ApiKeySummaryView] })
  keys!: ApiKeySummaryView[];
}
