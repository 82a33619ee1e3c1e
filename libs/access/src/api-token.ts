import { createHash, randomBytes } from 'node:crypto';
import type { Role } from './roles.decorator';

/** Tokens start with this so they are easy to spot in a leaked file or a secret scanner. */
export const TOKEN_PREFIX = 'tsk_';

/**
 * A new API token: 32 random bytes (256 bits). With that much entropy a plain
 * SHA-256 is the right stored form: a slow password hash would add nothing but
 * a cost to every request.
 */
export function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export const newKeyId = (): string => `key_${randomBytes(9).toString('base64url')}`;

/** Hex SHA-256 of a presented token: the only form ever stored or compared. */
export const tokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer[ \t]+([\x21-\x7e]{1,512})[ \t]*$/i.exec(header);
  return match ? match[1] : null;
}

/** The caller behind a request, attached to it by the guard for controllers. */
export interface Caller {
  keyId: string;
  role: Role;
  /** The supplier a supplier key is bound to; null for other roles. */
  supplierId: string | null;
}

/** Key id that stands for ADMIN_API_KEY (it is checked in memory and never stored). */
export const ENV_ADMIN_KEY_ID = 'env:ADMIN_API_KEY';
/** Key id of requests served with AUTH_DISABLED (local development only). */
export const DEV_OPEN_KEY_ID = 'dev:auth-disabled';
/** Key id recorded for changes made with the command-line tools (someone with database access). */
export const CLI_KEY_ID = 'cli';
