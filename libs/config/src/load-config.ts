import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

type EnvClass<T> = new () => T;

/**
 * Parses the environment once into a typed, validated object. Every failing
 * variable is listed in one message. The only reader of process.env.
 */
export function loadConfig<T extends object>(schema: EnvClass<T>, env: NodeJS.ProcessEnv = process.env): Readonly<T> {
  const defaults = new schema() as Record<string, unknown>;
  const known: Record<string, unknown> = {};
  for (const key of Object.keys(defaults).concat(optionalKeys(schema))) {
    const raw = env[key];
    if (raw !== undefined && raw !== '') known[key] = raw;
  }
  const instance = plainToInstance(schema, { ...defaults, ...known });
  const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0) throw new ConfigError(errors.map(describe));
  return Object.freeze(instance);
}

function describe(error: ValidationError): string {
  const messages = Object.values(error.constraints ?? {});
  const shown = error.property.includes('PASSWORD') || error.property.includes('KEY') ? '(hidden)' : JSON.stringify(error.value);
  return messages.length ? `${messages[0]}${error.value === undefined ? '' : ` (got ${shown})`}` : `${error.property} is invalid`;
}

/** Optional variables without a default are not own properties of a fresh instance; list them by metadata. */
function optionalKeys(schema: EnvClass<unknown>): string[] {
  // class-validator keeps per-property metadata; reading its storage is the documented way to enumerate it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { getMetadataStorage } = require('class-validator') as typeof import('class-validator');
  const metas = getMetadataStorage().getTargetValidationMetadatas(schema as never, '', true, false);
  return [...new Set(metas.map((m) => m.propertyName))];
}
