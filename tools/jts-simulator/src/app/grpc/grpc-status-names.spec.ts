import { status } from '@grpc/grpc-js';
import { ERROR_STATUS_NAMES, parseErrorStatus, statusName } from './grpc-status-names';

describe('gRPC status names', () => {
  it.each([
    ['UNAVAILABLE', status.UNAVAILABLE],
    ['deadline_exceeded', status.DEADLINE_EXCEEDED],
    [' RESOURCE_EXHAUSTED ', status.RESOURCE_EXHAUSTED],
    ['14', status.UNAVAILABLE],
    ['', status.UNAVAILABLE],
  ])('parses %j', (text, code) => {
    expect(parseErrorStatus(text)).toBe(code);
  });

  it.each(['OK', '0', 'BROKEN', '99', '1.5'])('refuses %j', (text) => {
    expect(parseErrorStatus(text)).toBeUndefined();
  });

  it('names every error status and nothing else', () => {
    expect(ERROR_STATUS_NAMES).toHaveLength(16);
    expect(ERROR_STATUS_NAMES).not.toContain('OK');
    expect(statusName(status.NOT_FOUND)).toBe('NOT_FOUND');
    expect(statusName(99 as status)).toBe('99');
  });
});
