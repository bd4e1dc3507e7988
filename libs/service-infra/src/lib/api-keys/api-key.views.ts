import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { EXECUTION_INTENT_ID_LIMITS } from '@qts/broker-domain';
import { API_KEY_SCOPES, type ApiKeyScope } from './api-key-scope';

/** Strategies one key may be bound to at most. */
export const MAX_STRATEGIES_PER_KEY = 100;

// eslint-disable-next-line no-control-regex
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f-\u009f]+$/;

/** Body of POST .../admin/api-keys. */
export class CreateApiKeyBody {
  @ApiProperty({ example: 'momentum-engine', description: 'What the key is for (1-100 printable characters).' })
  @IsString()
  @Length(1, 100)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'name must not contain control characters' })
  name!: string;

  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true, example: ['submit', 'read'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(API_KEY_SCOPES, { each: true, message: `each value in scopes must be one of ${API_KEY_SCOPES.join(', ')}` })
  scopes!: ApiKeyScope[];

  @ApiPropertyOptional({
    type: [String],
    example: ['momentum-kr'],
    description:
      'Execution worker: the strategy ids the key submits, reads and streams for (required unless the key has ' +
      'the admin scope, which acts for every strategy). The gateway does not bind keys to strategies.',
  })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_STRATEGIES_PER_KEY)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, EXECUTION_INTENT_ID_LIMITS.strategyId, { each: true, message: `each strategy id must be 1-${EXECUTION_INTENT_ID_LIMITS.strategyId} characters` })
  @Matches(NO_CONTROL_CHARACTERS, { each: true, message: 'strategy ids must not contain control characters' })
  strategies?: string[];
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

  @ApiProperty({ type: [String], description: 'Strategies the key is bound to (empty when it is not bound).' })
  strategies!: string[];

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
