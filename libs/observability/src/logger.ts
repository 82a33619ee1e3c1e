import pino, { DestinationStream, Logger, LoggerOptions as PinoOptions } from 'pino';

export interface LoggerOptions {
  level: string;
  pretty: boolean;
  name: string;
  /** Exact values never written (the process's own secrets, see `secretsOf`); shorter than MIN_SECRET_LENGTH they are skipped. */
  secrets?: string[];
  /** Where lines go (standard output when unset). */
  destination?: DestinationStream;
}

/** Paths never written to logs. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  'authorization',
  '*.authorization',
  '*.password',
  '*.secret',
  '*.secrets',
  '*.previousSecret',
  '*.apiKey',
  '*.token',
  'password',
  'secret',
  'secrets',
  'previousSecret',
  'apiKey',
  'token',
];

const CENSOR = '[redacted]';

/**
 * Secret shapes scrubbed from every line whatever field carries them (a
 * message, an error text, a URL): API tokens, webhook secrets, credentials
 * after an auth scheme, and the password of a URL's user info.
 */
const SECRET_SHAPES: Array<[RegExp, string]> = [
  [/tsk_[A-Za-z0-9_-]+/g, CENSOR],
  [/whsec_[A-Za-z0-9+/=_-]+/g, CENSOR],
  [/\b(Bearer|Basic)(?:[ \t]+|%20)[^\s"\\,;]{8,}/gi, `$1 ${CENSOR}`],
  [/([a-z][a-z0-9+.-]*:\/\/[^:@/\s"]*):[^@/\s"]+@/gi, `$1:${CENSOR}@`],
];

/** Values shorter than this are not scrubbed by value: a short password would hide ordinary words. */
export const MIN_SECRET_LENGTH = 8;

/** Configuration variables whose values are secrets (ADMIN_API_KEY, NEO4J_PASSWORD, …). */
const SECRET_VARIABLE = /PASSWORD|SECRET|API_KEY|TOKEN/;

/** The secret values of a parsed configuration, for `LoggerOptions.secrets`. */
export function secretsOf(config: object): string[] {
  return Object.entries(config)
    .filter(([name, value]) => SECRET_VARIABLE.test(name) && typeof value === 'string')
    .map(([, value]) => value as string);
}

/** The texts to replace for the given secrets: each long enough value, raw and (when it differs) JSON-escaped. */
function needlesOf(secrets: readonly string[]): string[] {
  return secrets
    .filter((secret) => secret.length >= MIN_SECRET_LENGTH)
    .flatMap((secret) => {
      const escaped = JSON.stringify(secret).slice(1, -1);
      return escaped === secret ? [secret] : [secret, escaped];
    });
}

function scrubNeedles(text: string, needles: readonly string[]): string {
  let out = text;
  for (const needle of needles) out = out.split(needle).join(CENSOR);
  for (const [shape, replacement] of SECRET_SHAPES) out = out.replace(shape, replacement);
  return out;
}

/** A text with every known secret shape and every given secret value (raw or JSON-escaped) replaced. */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  return scrubNeedles(text, needlesOf(secrets));
}

/**
 * Structured JSON logs; pretty output only when asked for (local runs).
 * Secrets are kept out twice: known fields by path, and every finished line
 * is scrubbed of secret shapes and values, so an error message or URL that
 * quotes one cannot leak it either.
 */
export function createLogger(options: LoggerOptions): Logger {
  // Worked out once per logger, not once per line.
  const needles = needlesOf([...new Set(options.secrets ?? [])]);
  const settings: PinoOptions = {
    name: options.name,
    level: options.level,
    redact: { paths: REDACTED_PATHS, censor: CENSOR },
    base: { service: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: { streamWrite: (line: string) => scrubNeedles(line, needles) },
  };
  if (options.destination) return pino(settings, options.destination);
  return pino({
    ...settings,
    transport: options.pretty ? { target: 'pino-pretty', options: { colorize: true, singleLine: true } } : undefined,
  });
}

export type { Logger };
