import pino, { Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  pretty: boolean;
  name: string;
}

/** Paths never written to logs. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.password',
  '*.secret',
  '*.apiKey',
  'password',
  'secret',
];

/** Structured JSON logs; pretty output only when asked for (local runs). */
export function createLogger(options: LoggerOptions): Logger {
  return pino({
    name: options.name,
    level: options.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
    transport: options.pretty ? { target: 'pino-pretty', options: { colorize: true, singleLine: true } } : undefined,
  });
}

export type { Logger };
