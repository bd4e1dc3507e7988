import { EXECUTION_PROTO_FILES, GATEWAY_PROTO_FILES, loadPackageDefinition, qtsExecutionV1, qtsTypeV1 } from '@qts/grpc-contracts';
import { requestMessageShapes, UndecodableGrpcRequest, withSafeRequestDecoding } from './grpc-request-decoding';

const SUBMIT = qtsExecutionV1.ExecutionServiceService.submitIntent;

function varint(value: bigint): number[] {
  const bytes: number[] = [];
  let rest = BigInt.asUintN(64, value);
  while (rest >= 0x80n) {
    bytes.push(Number((rest & 0x7fn) | 0x80n));
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return bytes;
}

describe('safe request decoding', () => {
  const shapes = requestMessageShapes(loadPackageDefinition([...EXECUTION_PROTO_FILES, ...GATEWAY_PROTO_FILES]));
  const decode = withSafeRequestDecoding(SUBMIT as never, shapes.get(SUBMIT.path)).requestDeserialize;
  const valid = Buffer.from(
    qtsExecutionV1.SubmitIntentRequest.encode(
      qtsExecutionV1.SubmitIntentRequest.fromPartial({ intentId: 'i-1', quantity: 10, side: qtsTypeV1.OrderSide.BUY }),
    ).finish(),
  );

  it('knows the 64-bit integer fields of every request, by method path', () => {
    expect(shapes.get('/qts.execution.v1.ExecutionService/SubmitIntent')).toEqual({
      typeName: 'SubmitIntentRequest',
      integerFields: new Map([
        [7, { name: 'quantity', read: 'int64' }],
        [12, { name: 'maxDelayMs', read: 'int64' }],
      ]),
    });
    expect(shapes.get('/qts.gateway.v1.BrokerGatewayService/PlaceOrder')?.integerFields.get(6)?.name).toBe('quantity');
  });

  it('decodes valid messages as the generated decoder does', () => {
    expect(decode(valid)).toMatchObject({ intentId: 'i-1', quantity: 10 });
  });

  it.each([
    ['2^63-1', 2n ** 63n - 1n],
    ['2^53', 2n ** 53n],
    ['-2^53', -(2n ** 53n)],
  ])('names an int64 field of %s instead of throwing', (_name, value) => {
    const answer = decode(Buffer.concat([valid, Buffer.from([7 << 3, ...varint(value)])]));
    expect(answer).toBeInstanceOf(UndecodableGrpcRequest);
    expect(answer).toMatchObject({ field: 'quantity', problem: `quantity is beyond the safe integer range (±${Number.MAX_SAFE_INTEGER})` });
  });

  it('names the expiry delay (max_delay_ms, int64) beyond the safe range too', () => {
    const answer = decode(Buffer.concat([valid, Buffer.from([12 << 3, ...varint(2n ** 63n - 1n)])]));
    expect(answer).toBeInstanceOf(UndecodableGrpcRequest);
    expect(answer).toMatchObject({ field: 'maxDelayMs', problem: `maxDelayMs is beyond the safe integer range (±${Number.MAX_SAFE_INTEGER})` });
  });

  it.each([
    ['truncated', valid.subarray(0, valid.length - 1)],
    ['a length beyond the end', Buffer.from([0x0a, 0xff, 0xff, 0x03])],
    ['an invalid wire type', Buffer.from([0x0f, 0x01])],
    ['random bytes', Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])],
  ])('answers %s with a problem naming the message', (_name, bytes) => {
    expect(decode(bytes)).toEqual(new UndecodableGrpcRequest('the request is not a valid SubmitIntentRequest message'));
  });
});
