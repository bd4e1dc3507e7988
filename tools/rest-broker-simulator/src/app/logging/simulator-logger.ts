export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

export const LOG_LEVELS: readonly LogLevel[] = Object.freeze(['silent', 'error', 'warn', 'info', 'debug']);

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

export type SimulatorLogger = Record<Exclude<LogLevel, 'silent'>, (message: string, fields?: Record<string, unknown>) => void>;

/**
 * Log lines on stderr (`<time> <LEVEL> <message> <json>`): stdout carries only the READY line. Never logs
 * request headers or bodies, which hold app keys, secrets and tokens.
 */
export function lineLogger(level: LogLevel, write: (line: string) => void = (line) => process.stderr.write(line)): SimulatorLogger {
  const at = LOG_LEVELS.indexOf(level);
  const log = (name: Exclude<LogLevel, 'silent'>) => (message: string, fields?: Record<string, unknown>) => {
    if (LOG_LEVELS.indexOf(name) <= at) {
      write(`${new Date().toISOString()} ${name.toUpperCase()} ${message}${fields === undefined ? '' : ` ${JSON.stringify(fields)}`}\n`);
    }
  };
  return { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') };
}

export const SILENT_LOGGER: SimulatorLogger = lineLogger('silent', () => undefined);
