import { isLogLevel, LineLogger, SILENT_LOGGER } from './simulator-logger';

describe('LineLogger', () => {
  const at = new Date('2024-01-02T00:00:00.000Z');

  it('writes messages at or above its level, one line each with JSON fields', () => {
    const lines: string[] = [];
    const logger = new LineLogger('info', (line) => lines.push(line), () => at);

    logger.debug('hidden');
    logger.info('broker up', { port: 50061 });
    logger.warn('careful');
    logger.error('broken');

    expect(lines).toEqual([
      '2024-01-02T00:00:00.000Z INFO broker up {"port":50061}\n',
      '2024-01-02T00:00:00.000Z WARN careful\n',
      '2024-01-02T00:00:00.000Z ERROR broken\n',
    ]);
  });

  it('writes nothing when silent and everything at debug', () => {
    const lines: string[] = [];
    new LineLogger('silent', (line) => lines.push(line)).error('nothing');
    new LineLogger('debug', (line) => lines.push(line), () => at).debug('request');
    SILENT_LOGGER.error('dropped');

    expect(lines).toEqual(['2024-01-02T00:00:00.000Z DEBUG request\n']);
  });

  it('knows its levels', () => {
    expect(['silent', 'error', 'warn', 'info', 'debug'].every(isLogLevel)).toBe(true);
    expect(isLogLevel('trace')).toBe(false);
  });
});
