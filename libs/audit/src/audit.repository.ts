import { Injectable } from '@nestjs/common';
import neo4j, { ManagedTransaction } from 'neo4j-driver';
import { Neo4jService } from '@tiersight/graph';
import { AuditEntry, GENESIS_HASH } from './audit-hash';

// The head node is the lock: SET on it holds a write lock until the transaction
// ends, so appends from every process take their turn and each sees the last hash.
const LOCK_HEAD = `
MERGE (h:AuditHead {id: 'audit'})
ON CREATE SET h.seq = 0, h.hash = $genesis
SET h.lockedAt = datetime()
RETURN h.seq AS seq, h.hash AS hash`;

const APPEND = `
MATCH (h:AuditHead {id: 'audit'})
SET h.seq = $e.seq, h.hash = $e.hash
CREATE (:AuditEntry {seq: $e.seq, at: $e.at, actorKeyId: $e.actor.keyId, actorRole: $e.actor.role,
  actorSupplierId: $e.actor.supplierId, action: $e.action, target: $e.target, changeJson: $changeJson,
  prevHash: $e.prevHash, hash: $e.hash})`;

const HEAD = `OPTIONAL MATCH (h:AuditHead {id: 'audit'}) RETURN coalesce(h.seq, 0) AS seq, coalesce(h.hash, $genesis) AS hash`;

const ENTRY_FIELDS = `a { .seq, .at, .actorKeyId, .actorRole, .actorSupplierId, .action, .target, .changeJson, .prevHash, .hash }`;

const PAGE_ASC = `
MATCH (a:AuditEntry) WHERE a.seq > $after AND a.seq <= $upTo
RETURN ${ENTRY_FIELDS} AS a ORDER BY a.seq LIMIT $limit`;

const BY_SEQ = `MATCH (a:AuditEntry {seq: $seq}) RETURN ${ENTRY_FIELDS} AS a`;

const PAGE_DESC = `
MATCH (a:AuditEntry) WHERE a.seq < $before
RETURN ${ENTRY_FIELDS} AS a ORDER BY a.seq DESC LIMIT $limit`;

/** An entry as stored: `change` kept as its canonical JSON text, parsed back for reading and verifying. */
interface StoredEntry {
  seq: number;
  at: string;
  actorKeyId: string;
  actorRole: string;
  actorSupplierId: string | null;
  action: string;
  target: string | null;
  changeJson: string;
  prevHash: string;
  hash: string;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly neo4j: Neo4jService) {}

  async lockHead(tx: ManagedTransaction): Promise<{ seq: number; hash: string }> {
    const r = (await tx.run(LOCK_HEAD, { genesis: GENESIS_HASH })).records[0];
    return { seq: r.get('seq') as number, hash: r.get('hash') as string };
  }

  async append(tx: ManagedTransaction, entry: AuditEntry, changeJson: string): Promise<void> {
    await tx.run(APPEND, { e: entry, changeJson });
  }

  async head(tx: ManagedTransaction): Promise<{ seq: number; hash: string }> {
    const r = (await tx.run(HEAD, { genesis: GENESIS_HASH })).records[0];
    return { seq: r.get('seq') as number, hash: r.get('hash') as string };
  }

  async pageAscending(tx: ManagedTransaction, after: number, upTo: number, limit: number): Promise<AuditEntry[]> {
    const res = await tx.run(PAGE_ASC, { after: neo4j.int(after), upTo: neo4j.int(upTo), limit: neo4j.int(limit) });
    return res.records.map((r) => toEntry(r.get('a') as StoredEntry));
  }

  async pageDescending(before: number, limit: number): Promise<AuditEntry[]> {
    const res = await this.neo4j.read((tx) => tx.run(PAGE_DESC, { before: neo4j.int(before), limit: neo4j.int(limit) }));
    return res.records.map((r) => toEntry(r.get('a') as StoredEntry));
  }

  async bySeq(seq: number): Promise<AuditEntry | null> {
    const res = await this.neo4j.read((tx) => tx.run(BY_SEQ, { seq: neo4j.int(seq) }));
    return res.records.length ? toEntry(res.records[0].get('a') as StoredEntry) : null;
  }

  read<T>(work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
    return this.neo4j.read(work);
  }
}

/** A change text that no longer parses still yields an entry (its hash will not match). */
function toEntry(s: StoredEntry): AuditEntry {
  let change: unknown;
  try {
    change = JSON.parse(s.changeJson);
  } catch {
    change = { unparseable: s.changeJson };
  }
  return {
    seq: s.seq,
    at: s.at,
    actor: { keyId: s.actorKeyId, role: s.actorRole, supplierId: s.actorSupplierId ?? null },
    action: s.action,
    target: s.target ?? null,
    change,
    prevHash: s.prevHash,
    hash: s.hash,
  };
}
