import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BROKER_VIEW_TRANSPORTS } from '../brokers/broker-view';
import { RateLimitViewDoc } from '../rest/dto/broker.views';

export class ConsoleBalanceDoc {
  @ApiProperty({ example: '52340000' })
  totalEquity!: string;

  @ApiProperty({ example: '12340000' })
  cashBalance!: string;

  @ApiProperty({ example: '12340000' })
  buyingPower!: string;

  @ApiProperty({ format: 'date-time', description: 'When the broker answered' })
  asOf!: string;
}

export class ConsoleProblemDoc {
  @ApiProperty({ example: 'BROKER_UNAVAILABLE' })
  code!: string;

  @ApiProperty()
  message!: string;
}

export class ConsoleAccountDoc {
  @ApiProperty({ example: '50012345-01' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: ['REAL', 'PAPER'] })
  type!: string;

  @ApiProperty()
  isDefault!: boolean;

  @ApiProperty({ enum: ['config', 'runtime'] })
  source!: string;

  @ApiProperty({ type: ConsoleBalanceDoc, nullable: true, description: 'Null until the first balance arrived' })
  balance!: ConsoleBalanceDoc | null;

  @ApiPropertyOptional({ type: ConsoleProblemDoc, description: 'The last balance request failed' })
  balanceError?: ConsoleProblemDoc;
}

export class ConsoleBrokerDoc {
  @ApiProperty({ example: 'kis' })
  id!: string;

  @ApiProperty({ enum: ['KIS', 'CREON', 'KIWOOM'] })
  type!: string;

  @ApiProperty({ enum: BROKER_VIEW_TRANSPORTS })
  transport!: string;

  @ApiProperty({ enum: ['CONNECTING', 'CONNECTED', 'DEGRADED', 'DISCONNECTED'] })
  status!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  lastHealthCheckAt!: string | null;

  @ApiProperty()
  offline!: boolean;

  @ApiProperty()
  mock!: boolean;

  @ApiProperty()
  required!: boolean;

  @ApiProperty({ description: 'Accounts can be added at run time (not to brokers reached over REST)' })
  acceptsRuntimeAccounts!: boolean;

  @ApiProperty({ type: [ConsoleAccountDoc] })
  accounts!: ConsoleAccountDoc[];

  @ApiProperty({ type: RateLimitViewDoc, nullable: true })
  rateLimit!: RateLimitViewDoc | null;
}

export class ConsoleViewerDoc {
  @ApiProperty({ description: 'Name of the API key' })
  name!: string;

  @ApiProperty({ type: [String], example: ['read'] })
  scopes!: string[];
}

export class ConsoleSnapshotDoc {
  @ApiProperty({ format: 'date-time' })
  generatedAt!: string;

  @ApiProperty()
  liveTradingEnabled!: boolean;

  @ApiProperty({ enum: ['configured', 'none', 'unset'], description: 'Whether account changes reach an execution worker' })
  workerLink!: string;

  @ApiProperty({ type: ConsoleViewerDoc })
  viewer!: ConsoleViewerDoc;

  @ApiProperty({ type: [ConsoleBrokerDoc] })
  brokers!: ConsoleBrokerDoc[];
}
