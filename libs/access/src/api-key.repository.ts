import { Injectable } from '@nestjs/common';
import neo4j, { ManagedTransaction } from 'neo4j-driver';
import { decodeCursor, encodeCursor, Neo4jService, Page } from '@tiersight/graph';
import type { Role } from './roles.decorator';

export interface ApiKeyView {
  id: string;
  name: string | null;
  role: Role;
  supplierId: string | null;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const KEY_FIELDS = `k { .id, .name, .role, .supplierId, .createdBy, createdAt: toString(k.createdAt),
  revokedAt: toString(k.revokedAt), lastUsedAt: toString(k.lastUsedAt) }`;

const SUPPLIER_EXISTS = `MATCH (s:Supplier {id: $id}) RETURN count(s) > 0 AS found`;

const CREATE_KEY = `
CREATE (k:ApiKey {id: $k.id, name: $k.name, role: $k.role, supplierId: $k.supplierId, hash: $k.hash,
  createdBy: $k.createdBy, createdAt: datetime()})
RETURN ${KEY_FIELDS} AS key`;

const REVOKE_KEY = `
MATCH (k:ApiKey {id: $id})
WITH k, k.revokedAt IS NULL AS wasActive
SET k.revokedAt = coalesce(k.revokedAt, datetime())
RETURN ${KEY_FIELDS} AS key, wasActive`;

const BY_HASH = `
MATCH (k:ApiKey {hash: $hash}) WHERE k.revokedAt IS NULL
RETURN k.id AS id, k.role AS role, k.supplierId AS supplierId`;

const ACTIVE_OF_ROLE = `
MATCH (k:ApiKey {role: $role}) WHERE k.revokedAt IS NULL
RETURN count(k) > 0 AS found`;

// At most one write a minute per key, whichever process serves it.
const TOUCH = `
MATCH (k:ApiKey {id: $id})
WHERE k.lastUsedAt IS NULL OR k.lastUsedAt < datetime() - duration({seconds: $everySeconds})
SET k.lastUsedAt = datetime()`;

const LIST_KEYS = `
MATCH (k:ApiKey) WHERE ($after IS NULL OR k.id > $after) AND ($revoked OR k.revokedAt IS NULL)
  AND ($role IS NULL OR k.role = $role) AND ($supplierId IS NULL OR k.supplierId = $supplierId)
RETURN ${KEY_FIELDS} AS key ORDER BY k.id LIMIT $limit`;

@Injectable()
export class ApiKeyRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  async supplierExists(tx: ManagedTransaction, id: string): Promise<boolean> {
    return (await tx.run(SUPPLIER_EXISTS, { id })).records[0].get('found') as boolean;
  }

  async create(
    tx: ManagedTransaction,
    key: { id: string; name: string | null; role: Role; supplierId: string | null; hash: string; createdBy: string },
  ): Promise<ApiKeyView> {
    return (await tx.run(CREATE_KEY, { k: key })).records[0].get('key') as ApiKeyView;
  }

  async revoke(tx: ManagedTransaction, id: string): Promise<{ key: ApiKeyView; wasActive: boolean } | null> {
    const res = await tx.run(REVOKE_KEY, { id });
    if (res.records.length === 0) return null;
    return { key: res.records[0].get('key') as ApiKeyView, wasActive: res.records[0].get('wasActive') as boolean };
  }

  async activeByHash(hash: string): Promise<{ id: string; role: Role; supplierId: string | null } | null> {
    const res = await this.neo4j.read((tx) => tx.run(BY_HASH, { hash }));
    return res.records.length ? (res.records[0].toObject() as { id: string; role: Role; supplierId: string | null }) : null;
  }

  async anyActive(role: Role): Promise<boolean> {
    const res = await this.neo4j.read((tx) => tx.run(ACTIVE_OF_ROLE, { role }));
    return res.records[0].get('found') as boolean;
  }

  async touch(id: string, everySeconds: number): Promise<void> {
    await this.neo4j.write((tx) => tx.run(TOUCH, { id, everySeconds: neo4j.int(everySeconds) }));
  }

  async list(limit: number, cursor: string | undefined, filter: { revoked: boolean; role?: Role; supplierId?: string }): Promise<Page<ApiKeyView>> {
    const res = await this.neo4j.read((tx) =>
      tx.run(LIST_KEYS, {
        after: decodeCursor(cursor),
        limit: neo4j.int(limit + 1),
        revoked: filter.revoked,
        role: filter.role ?? null,
        supplierId: filter.supplierId ?? null,
      }),
    );
    const rows = res.records.map((r) => r.get('key') as ApiKeyView);
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1].id) : null };
  }

  write<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    return this.neo4j.write(work);
  }
}
