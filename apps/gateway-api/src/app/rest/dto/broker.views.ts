import { ApiProperty } from '@nestjs/swagger';
import { AccountType, BrokerType, ConnectionStatus } from '@qts/broker-domain';
import { BROKER_VIEW_TRANSPORTS, type BrokerViewTransport } from '../../brokers/broker-view';

export class RateLimitRuleViewDoc {
  @ApiProperty({ example: 'requests' })
  ruleId!: string;

  @ApiProperty({ example: 2, description: 'Effective limit per window' })
  limit!: number;

  @ApiProperty({ example: 1000 })
  windowMs!: number;

  @ApiProperty({ example: 1, description: 'Requests counted in the current window' })
  used!: number;

  @ApiProperty({ example: 0.5, description: 'used / limit, 0..1' })
  ratio!: number;

  @ApiProperty({ example: 0, description: 'Calls queued for a permit' })
  waiters!: number;
}

export class RateLimitViewDoc {
  @ApiProperty({ example: 0.5, description: 'Highest rule ratio, 0..1' })
  ratio!: number;

  @ApiProperty({ type: [RateLimitRuleViewDoc] })
  rules!: RateLimitRuleViewDoc[];
}

export class AccountViewDoc {
  @ApiProperty({ example: '50012345-01' })
  id!: string;

  @ApiProperty({ example: '모의투자' })
  name!: string;

  @ApiProperty({ enum: AccountType })
  type!: AccountType;

  @ApiProperty()
  isDefault!: boolean;
}

export class BrokerViewDoc {
  @ApiProperty({ example: 'kis' })
  id!: string;

  @ApiProperty({ enum: BrokerType })
  type!: BrokerType;

  @ApiProperty({ enum: ConnectionStatus })
  status!: ConnectionStatus;

  @ApiProperty({ description: 'Candles are served from the cache because the broker is unavailable' })
  offline!: boolean;

  @ApiProperty({ description: 'Served by the in-process mock broker' })
  mock!: boolean;

  @ApiProperty({
    enum: BROKER_VIEW_TRANSPORTS,
    description: "How the gateway reaches the broker: jts (the JTS gRPC server), rest (the broker's own REST API) or mock",
  })
  transport!: BrokerViewTransport;

  @ApiProperty({ description: 'Readiness needs this broker CONNECTED or DEGRADED' })
  required!: boolean;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: "When the broker's health was last checked; null before the first check and for mock brokers",
  })
  lastHealthCheckAt!: string | null;

  @ApiProperty({ type: [AccountViewDoc], description: 'Active accounts: configured, then added at run time' })
  accounts!: AccountViewDoc[];

  @ApiProperty({ type: RateLimitViewDoc, nullable: true, description: 'Null for brokers without a limiter (mock)' })
  rateLimit!: RateLimitViewDoc | null;
}

export class BrokerListDoc {
  @ApiProperty({ type: [BrokerViewDoc] })
  brokers!: BrokerViewDoc[];
}
