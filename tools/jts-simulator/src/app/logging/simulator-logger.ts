export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';

/** In increasing verbosity: a logger at level L writes every message whose level is at or before L. */
export const LOG_LEVELS: readonly LogLevel[] = Object.freeze(['silent', 'error', 'warn', 'info', 'debug']);

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

export type LogFields = Readonly<Record<string, unknown>>;

export interface SimulatorLogger {
  readonly level: LogLevel;
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
}

/**
 * One line per message: `<ISO time> <LEVEL> <message> <json fields>`. Writes to stderr by default:
 * stdout carries only the READY line, which parent processes parse.
 */
export class LineLogger implements SimulatorLogger {
  constructor(
    readonly level: LogLevel,
    private readonly write: (line: string) => void = (line) => process.stderr.write(line),
    private readonly now: () => Date = () => new Date(),
  ) {}

  error(message: string, fields?: LogFields): void {
    this.log('error', message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.log('warn', message, fields);
  }

  info(message: string, fields?: LogFields): void {
    this.log('info', message, fields);
  }

  debug(message: string, fields?: LogFields): void {
    this.log('debug', message, fields);
  }

  private log(level: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields): void {
    if (LOG_LEVELS.indexOf(level) > LOG_LEVELS.indexOf(this.level)) {
      return;
    }
    const suffix = fields === undefined ? '' : ` ${JSON.stringify(fields)}`;
    this.write(`${this.now().toISOString()} ${level.toUpperCase()} ${message}${suffix}\n`);
  }
}

/** For tests and embedding: drops everything. */
export const SILENT_LOGGER: SimulatorLogger = new LineLogger('silent', () => undefined);
