import { ApiProperty } from '@nestjs/swagger';

/** The body of every HTTP error answer. */
export class ErrorBody {
  @ApiProperty({ example: 404, description: 'The HTTP status code, repeated.' })
  statusCode!: number;

  @ApiProperty({ example: 'BROKER_NOT_FOUND', description: 'Stable machine-readable error code.' })
  code!: string;

  @ApiProperty({ example: "broker 'kis' is not configured", description: 'Human-readable reason, no secrets.' })
  message!: string;
}
