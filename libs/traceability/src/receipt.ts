import { entryHash, type AuditEntry } from '@tiersight/audit';
import { eventHash, type EpcisEvent } from '@tiersight/epcis-formats';
import { hashContextOf } from './capture-model';
import { eventHashDigest, fromHex, inclusionProof, leafHash, rootFromProof, toHex } from './merkle';

/** How a receipt's tree is hashed, written into every receipt so it can be checked without this code. */
export const RECEIPT_TREE = {
  algorithm: 'RFC 6962 Merkle tree (SHA-256)',
  leaf: 'SHA-256(0x00 ‖ d), d = the 32 bytes of the event hash digest (the hex after "ni:///sha-256;")',
  node: 'SHA-256(0x01 ‖ left ‖ right)',
  proof: 'RFC 9162 §2.1.3.2 inclusion proof, sibling hashes from the leaf up',
} as const;

/**
 * Proof that an event was captured and has not changed since: the event as
 * captured, its CBV 2.0 hash, its inclusion proof in the Merkle tree of its
 * capture, and the hash-chained audit entry that recorded that tree's root.
 */
export interface EventReceipt {
  version: 1;
  eventId: string;
  eventHash: string;
  /** The event as captured; its hash is computed again from it (with `context`). */
  event: Readonly<Record<string, unknown>>;
  /** The `@context` of the document the event came in. */
  context: unknown;
  captureId: string;
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  proof: string[];
  root: string;
  tree: typeof RECEIPT_TREE;
  auditEntry: AuditEntry;
}

export interface ReceiptCheck {
  check: 'event hash' | 'inclusion proof' | 'audit entry' | 'root recorded';
  ok: boolean;
  detail: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A receipt for the event at `leafIndex` of its capture's leaves. */
export function buildReceipt(input: {
  eventId: string;
  eventHash: string;
  event: Readonly<Record<string, unknown>>;
  context: unknown;
  captureId: string;
  leafHashes: readonly string[];
  leafIndex: number;
  root: string;
  auditEntry: AuditEntry;
}): EventReceipt {
  const digests = input.leafHashes.map(eventHashDigest);
  return {
    version: 1,
    eventId: input.eventId,
    eventHash: input.eventHash,
    event: input.event,
    context: input.context,
    captureId: input.captureId,
    leafIndex: input.leafIndex,
    treeSize: digests.length,
    leafHash: toHex(leafHash(digests[input.leafIndex])),
    proof: inclusionProof(input.leafIndex, digests).map(toHex),
    root: input.root,
    tree: RECEIPT_TREE,
    auditEntry: input.auditEntry,
  };
}

function checkEventHash(r: Record<string, unknown>): ReceiptCheck {
  if (!isRecord(r.event) || typeof r.eventHash !== 'string') return { check: 'event hash', ok: false, detail: 'the receipt has no event or no eventHash' };
  try {
    const computed = eventHash(r.event as EpcisEvent, hashContextOf(r.context, r.event));
    return computed === r.eventHash
      ? { check: 'event hash', ok: true, detail: `the event hashes to ${computed}` }
      : { check: 'event hash', ok: false, detail: `the event hashes to ${computed}, not to the receipt's ${r.eventHash}: the event is not the one captured` };
  } catch (error) {
    return { check: 'event hash', ok: false, detail: `the event cannot be hashed: ${(error as Error).message}` };
  }
}

function checkProof(r: Record<string, unknown>): ReceiptCheck {
  const proof = Array.isArray(r.proof) ? r.proof.map(fromHex) : null;
  const root = fromHex(r.root);
  if (typeof r.eventHash !== 'string' || proof === null || proof.some((p) => p === null) || root === null) {
    return { check: 'inclusion proof', ok: false, detail: 'the receipt has no well-formed eventHash, proof or root' };
  }
  let leaf: Buffer;
  try {
    leaf = leafHash(eventHashDigest(r.eventHash));
  } catch (error) {
    return { check: 'inclusion proof', ok: false, detail: (error as Error).message };
  }
  const reached = rootFromProof(leaf, Number(r.leafIndex), Number(r.treeSize), proof as Buffer[]);
  if (reached === null)
    return { check: 'inclusion proof', ok: false, detail: `the proof does not fit leaf ${String(r.leafIndex)} of a tree of ${String(r.treeSize)}` };
  return reached.equals(root)
    ? { check: 'inclusion proof', ok: true, detail: `leaf ${String(r.leafIndex)} of ${String(r.treeSize)} leads to root ${toHex(root)}` }
    : { check: 'inclusion proof', ok: false, detail: `the proof leads to ${toHex(reached)}, not to the receipt's root ${toHex(root)}` };
}

function checkAuditEntry(entry: unknown): ReceiptCheck {
  if (!isRecord(entry) || typeof entry.hash !== 'string') return { check: 'audit entry', ok: false, detail: 'the receipt has no audit entry' };
  try {
    const { seq, at, actor, action, target, change, prevHash } = entry;
    const computed = entryHash({ seq, at, actor, action, target, change, prevHash } as Omit<AuditEntry, 'hash'>);
    return computed === entry.hash
      ? { check: 'audit entry', ok: true, detail: `audit entry ${String(entry.seq)} hashes to its hash ${computed} (prevHash ${String(entry.prevHash)})` }
      : { check: 'audit entry', ok: false, detail: `audit entry ${String(entry.seq)} hashes to ${computed}, not to its stated ${entry.hash}` };
  } catch (error) {
    return { check: 'audit entry', ok: false, detail: `the audit entry cannot be hashed: ${(error as Error).message}` };
  }
}

function checkRootRecorded(r: Record<string, unknown>): ReceiptCheck {
  const change = isRecord(r.auditEntry) && isRecord(r.auditEntry.change) ? r.auditEntry.change : {};
  const same = fromHex(r.root) !== null && change.merkleRoot === r.root && change.treeSize === r.treeSize && change.captureId === r.captureId;
  return same
    ? {
        check: 'root recorded',
        ok: true,
        detail: `the audit entry records root ${String(r.root)} of capture ${String(r.captureId)} (${String(r.treeSize)} events)`,
      }
    : {
        check: 'root recorded',
        ok: false,
        detail: `the audit entry records root ${String(change.merkleRoot)} of ${String(change.treeSize)} events of capture ${String(change.captureId)}, not the receipt's`,
      };
}

/**
 * Checks a receipt offline: (1) the event hashes to `eventHash` (CBV 2.0),
 * (2) the inclusion proof leads from that hash's leaf to `root`, (3) the audit
 * entry's hash is the SHA-256 of its canonical content, and (4) that entry
 * records `root` for the capture. Never throws; every check says why it failed.
 */
export function verifyReceipt(receipt: unknown): { ok: boolean; checks: ReceiptCheck[] } {
  const r = isRecord(receipt) ? receipt : {};
  const checks = [checkEventHash(r), checkProof(r), checkAuditEntry(r.auditEntry), checkRootRecorded(r)];
  return { ok: checks.every((c) => c.ok), checks };
}
