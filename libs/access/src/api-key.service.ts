import { Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { AuditActor, AuditLog } from '@tiersight/audit';
import { APP_CONFIG, ApiEnv } from '@tiersight/config';
import { Page } from '@tiersight/graph';
import { LOGGER } from '@tiersight/observability';
import { AccessError, AccessErrorCode } from './access.error';
import { Caller, ENV_ADMIN_KEY_ID, newKeyId, newToken, tokenHash } from './api-token';
import { ApiKeyRepository, ApiKeyView } from './api-key.repository';
import type { Role } from './roles.decorator';

/** How long a resolved key is trusted without asking Neo4j again: a revocation made by another API process takes effect within this. */
export const KEY_CACHE_MS = 5_000;
/** lastUsedAt is written at most this often per key. */
export const TOUCH_EVERY_MS = 60_000;
const CACHE_MAX = 10_000;

export interface NewKey {
  role: Role;
  supplierId?: string;
  name?: string;
}

/** Keys: created and revoked by admins (audited), resolved on every request with a short cache. */
@Injectable()
export class ApiKeyService {
  private readonly adminDigest: Buffer | null;
  private readonly cache = new Map<string, { caller: Caller | null; at: number }>();
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) config: ApiEnv,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.adminDigest = config.ADMIN_API_KEY ? Buffer.from(tokenHash(config.ADMIN_API_KEY), 'hex') : null;
  }

  /** The caller a presented token stands for, or null when it is unknown or revoked. */
  async authenticate(token: string): Promise<Caller | null> {
    const hash = tokenHash(token);
    if (this.adminDigest && timingSafeEqual(Buffer.from(hash, 'hex'), this.adminDigest)) {
      return { keyId: ENV_ADMIN_KEY_ID, role: 'admin', supplierId: null };
    }
    const now = Date.now();
    const cached = this.cache.get(hash);
    let caller: Caller | null;
    if (cached && now - cached.at < KEY_CACHE_MS) {
      caller = cached.caller;
    } else {
      const found = await this.keys.activeByHash(hash);
      caller = found ? { keyId: found.id, role: found.role, supplierId: found.supplierId ?? null } : null;
      if (this.cache.size >= CACHE_MAX) this.cache.clear();
      this.cache.set(hash, { caller, at: now });
    }
    if (caller) this.touch(caller.keyId, now);
    return caller;
  }

  /** Whether any admin can authenticate: ADMIN_API_KEY is set or an active admin key is stored. */
  async adminCanAuthenticate(): Promise<boolean> {
    return this.adminDigest !== null || (await this.keys.anyActive('admin'));
  }

  async create(actor: AuditActor, input: NewKey): Promise<ApiKeyView & { key: string }> {
    const supplierId = input.role === 'supplier' ? input.supplierId : undefined;
    if (input.role === 'supplier' && !supplierId) throw invalid('supplierId', 'a supplier key needs supplierId');
    if (input.role !== 'supplier' && input.supplierId !== undefined) throw invalid('supplierId', 'only a supplier key is bound to a supplier');
    const token = newToken();
    const view = await this.keys.write(async (tx) => {
      if (supplierId && !(await this.keys.supplierExists(tx, supplierId))) throw invalid('supplierId', `supplier ${supplierId} does not exist`);
      const created = await this.keys.create(tx, {
        id: newKeyId(),
        name: input.name ?? null,
        role: input.role,
        supplierId: supplierId ?? null,
        hash: tokenHash(token),
        createdBy: actor.keyId,
      });
      // The log records the key's id and binding, never the token or its hash.
      await this.audit.append(tx, actor, {
        action: 'key.create',
        target: created.id,
        change: { role: created.role, supplierId: created.supplierId, name: created.name },
      });
      return created;
    });
    return { ...view, key: token };
  }

  /** Revokes a key; revoking it again changes nothing and records nothing. */
  async revoke(actor: AuditActor, id: string): Promise<ApiKeyView> {
    const key = await this.keys.write(async (tx) => {
      const res = await this.keys.revoke(tx, id);
      if (!res) throw new AccessError(AccessErrorCode.KeyNotFound, `API key ${id} does not exist`);
      if (res.wasActive) await this.audit.append(tx, actor, { action: 'key.revoke', target: id, change: { revokedAt: res.key.revokedAt } });
      return res.key;
    });
    for (const [hash, entry] of this.cache) if (entry.caller?.keyId === id) this.cache.delete(hash);
    return key;
  }

  list(limit: number, cursor: string | undefined, filter: { revoked: boolean; role?: Role; supplierId?: string }): Promise<Page<ApiKeyView>> {
    return this.keys.list(limit, cursor, filter);
  }

  /** Records the last use without delaying the request; a failure only costs a stale lastUsedAt. */
  private touch(keyId: string, now: number): void {
    const last = this.touched.get(keyId);
    if (last !== undefined && now - last < TOUCH_EVERY_MS) return;
    if (this.touched.size >= CACHE_MAX) this.touched.clear();
    this.touched.set(keyId, now);
    this.keys.touch(keyId, TOUCH_EVERY_MS / 1000).catch((error) => this.logger.warn({ err: error, keyId }, 'could not record key use'));
  }
}

function invalid(field: string, message: string): AccessError {
  return new AccessError(AccessErrorCode.InvalidKeyRequest, message, { errors: [{ field, message }] });
}
