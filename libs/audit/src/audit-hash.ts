import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';

/** Who made a change: the API key (or `cli`, `env:ADMIN_API_KEY`) with its role and, for a supplier key, its supplier. */
export interface AuditActor {
  keyId: string;
  role: string;
  supplierId: string | null;
}

/** What a caller asks to record; the log adds the sequence number, the time and the hashes. */
export interface AuditRecord {
  action: string;
  target: string | null;
  change: unknown;
}

export interface AuditEntry extends AuditRecord {
  seq: number;
  at: string;
  actor: AuditActor;
  prevHash: string;
  hash: string;
}

/** prevHash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * RFC 8785 canonical JSON, so the hash does not depend on key order or number
 * formatting; `undefined` becomes absent, as JSON has no such value.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value === undefined ? null : JSON.parse(JSON.stringify(value)));
  if (text === undefined) throw new Error('value has no JSON form');
  return text;
}

/** SHA-256 (hex) of an entry's canonical form without its own hash: what the next entry carries as prevHash. */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { seq, at, actor, action, target, change, prevHash } = entry;
  const body = canonicalJson({ seq, at, actor, action, target, change, prevHash });
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

export type ChainCheck = { ok: true; entries: number; headHash: string } | { ok: false; entries: number; firstBroken: { seq: number; reason: string } };

/**
 * Walks entries in sequence order and returns the first that does not hold:
 * a gap in the sequence, a prevHash that is not the previous entry's hash, or
 * a stored hash that is not the hash of its content. Pure; fed page by page.
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private count = 0;
  private broken: { seq: number; reason: string } | null = null;

  /** Returns false once a broken entry is found (the caller may stop reading). */
  push(entry: AuditEntry): boolean {
    if (this.broken) return false;
    this.count++;
    if (entry.seq !== this.expectedSeq) {
      this.broken = { seq: entry.seq, reason: `expected entry ${this.expectedSeq}, found ${entry.seq}` };
    } else if (entry.prevHash !== this.prevHash) {
      this.broken = { seq: entry.seq, reason: 'prevHash is not the hash of the previous entry' };
    } else if (entryHash(entry) !== entry.hash) {
      this.broken = { seq: entry.seq, reason: 'content does not match its hash' };
    }
    if (this.broken) return false;
    this.expectedSeq++;
    this.prevHash = entry.hash;
    return true;
  }

  /** `head` is the log's head (last seq and hash) as stored; entries missing at the end break the chain too. */
  result(head: { seq: number; hash: string }): ChainCheck {
    if (this.broken) return { ok: false, entries: this.count, firstBroken: this.broken };
    if (head.seq !== this.expectedSeq - 1 || head.hash !== this.prevHash) {
      return {
        ok: false,
        entries: this.count,
        firstBroken: { seq: this.expectedSeq, reason: `the head names entry ${head.seq}; the chain ends at ${this.expectedSeq - 1}` },
      };
    }
    return { ok: true, entries: this.count, headHash: this.prevHash };
  }
}
