import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

const BROKER_TYPES = ['KIS', 'CREON', 'KIWOOM'] as const;
const ACCOUNT_TYPES = ['REAL', 'PAPER'] as const;
const TRANSPORTS = ['jts', 'rest'] as const;

/** The shape of the brokers YAML. Unknown keys are refused so that typos do not pass silently. */
export class RateLimitRuleSchema {
  @IsString()
  @IsNotEmpty()
  id!: string;

  @IsInt()
  @Min(1)
  limit!: number;

  @IsInt()
  @Min(1)
  windowMs!: number;
}

export class RateLimitSchema {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  preset?: string;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => RateLimitRuleSchema)
  rules?: RateLimitRuleSchema[];

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(1)
  share?: number;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(0.9)
  tradingReserve?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  maxInFlight?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60_000)
  marginMs?: number;
}

export class GrpcEndpointSchema {
  @IsString()
  @IsNotEmpty()
  host!: string;

  @IsInt({ message: 'port must be an integer between 1 and 65535' })
  @Min(1, { message: 'port must be an integer between 1 and 65535' })
  @Max(65535, { message: 'port must be an integer between 1 and 65535' })
  port!: number;
}

export class AccountSchema {
  // Account numbers are strings: "50012345-01" keeps its dash and leading zeros.
  @IsString({ message: 'id must be a string (quote account numbers in YAML)' })
  @IsNotEmpty()
  id!: string;

  @IsOptional()
  @IsString()
  name?: string;

  @IsIn(ACCOUNT_TYPES, { message: `type must be one of ${ACCOUNT_TYPES.join(', ')}` })
  type!: (typeof ACCOUNT_TYPES)[number];

  @IsOptional()
  @IsBoolean()
  default?: boolean;
}

export class BrokerEntrySchema {
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{0,31}$/, {
    message: 'id must be 1-32 lower-case letters, digits or dashes, starting with a letter',
  })
  id!: string;

  @IsIn(BROKER_TYPES, { message: `type must be one of ${BROKER_TYPES.join(', ')}` })
  type!: (typeof BROKER_TYPES)[number];

  /** Default: rest when the entry has a `rest` block, else jts. */
  @IsOptional()
  @IsIn(TRANSPORTS, { message: `transport must be one of ${TRANSPORTS.join(', ')}` })
  transport?: (typeof TRANSPORTS)[number];

  /** The JTS server; required for the JTS transport. */
  @IsOptional()
  @ValidateNested()
  @Type(() => GrpcEndpointSchema)
  grpc?: GrpcEndpointSchema;

  /** The broker's own REST API (KIS, Kiwoom): checked field by field by parseRestTransportConfig. */
  @IsOptional()
  @IsObject({ message: 'rest must be a mapping with environment and credentials' })
  rest?: Record<string, unknown>;

  @ValidateNested()
  @Type(() => RateLimitSchema)
  rateLimit!: RateLimitSchema;

  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => AccountSchema)
  accounts?: AccountSchema[];

  @IsOptional()
  @IsBoolean()
  required?: boolean;

  @IsOptional()
  @IsBoolean()
  mock?: boolean;

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(600_000)
  deadlineMs?: number;

  /** How long after sending "the broker does not know the order" is not yet "it never arrived". */
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  reconcileGraceMs?: number;
}

export class BrokersFileSchema {
  @IsArray()
  @ArrayUnique((broker: BrokerEntrySchema) => broker?.id, { message: 'brokers must have unique ids' })
  @ValidateNested({ each: true })
  @Type(() => BrokerEntrySchema)
  brokers!: BrokerEntrySchema[];
}
