import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsString, Matches } from 'class-validator';
import { BrokerParams, SYMBOL_MESSAGE, SYMBOL_PATTERN } from '../rest/dto/route-params';

/** At most this many symbols per quote stream (a broker's real-time subscriptions are a scarce budget). */
export const MAX_STREAM_SYMBOLS = 40;

/** StreamQuotesRequest as validated by the gRPC API. */
export class StreamQuotesRequestDto extends BrokerParams {
  @IsArray()
  @ArrayNotEmpty({ message: 'symbols must name at least one symbol' })
  @ArrayMaxSize(MAX_STREAM_SYMBOLS)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(SYMBOL_PATTERN, { each: true, message: SYMBOL_MESSAGE })
  symbols!: string[];
}
