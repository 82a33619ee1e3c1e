import { Injectable } from '@nestjs/common';
import type { ManagedTransaction } from 'neo4j-driver';
import { InvalidCursorError } from '@tiersight/graph';
import { AuditActor, AuditEntry, AuditRecord, canonicalJson, ChainCheck, ChainVerifier, entryHash } from './audit-hash';
import { AuditRepository } from './audit.repository';

const VERIFY_PAGE = 2000;

/**
 * The hash-chained audit log. `append` takes the caller's transaction so an
 * entry commits or rolls back with the change it records.
 */
@Injectable()
export class AuditLog {
  constructor(private readonly repository: AuditRepository) {}

  async append(tx: ManagedTransaction, actor: AuditActor, record: AuditRecord): Promise<AuditEntry> {
    const head = await this.repository.lockHead(tx);
    const changeJson = canonicalJson(record.change);
    const draft = {
      seq: head.seq + 1,
      at: new Date().toISOString(),
      actor: { keyId: actor.keyId, role: actor.role, supplierId: actor.supplierId ?? null },
      action: record.action,
      target: record.target ?? null,
      change: JSON.parse(changeJson) as unknown,
      prevHash: head.hash,
    };
    const entry: AuditEntry = { ...draft, hash: entryHash(draft) };
    await this.repository.append(tx, entry, changeJson);
    return entry;
  }

  /** One entry by its sequence number, as stored (a receipt shows the entry its proof's root is recorded in). */
  entry(seq: number): Promise<AuditEntry | null> {
    return this.repository.bySeq(seq);
  }

  /** Newest first; the cursor is the seq of the last entry of the previous page. */
  async list(limit: number, cursor?: string): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    let before = Number.MAX_SAFE_INTEGER;
    if (cursor !== undefined) {
      if (!/^[1-9]\d{0,15}$/.test(cursor)) throw new InvalidCursorError();
      before = Number(cursor);
    }
    const rows = await this.repository.pageDescending(before, limit + 1);
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? String(items[items.length - 1].seq) : null };
  }

  /** Re-computes every hash from the first entry up to the head read at the start. */
  verify(): Promise<ChainCheck & { checkedAt: string }> {
    return this.repository.read(async (tx) => {
      const head = await this.repository.head(tx);
      const verifier = new ChainVerifier();
      let after = 0;
      for (;;) {
        const page = await this.repository.pageAscending(tx, after, head.seq, VERIFY_PAGE);
        if (page.length === 0) break;
        if (!page.every((entry) => verifier.push(entry))) break;
        after = page[page.length - 1].seq;
      }
      return { ...verifier.result(head), checkedAt: new Date().toISOString() };
    });
  }
}
