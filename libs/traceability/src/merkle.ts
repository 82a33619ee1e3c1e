import { createHash } from 'node:crypto';

/**
 * The Merkle tree of a capture, RFC 6962 §2.1 (Certificate Transparency,
 * restated in RFC 9162 §2.1): leaves and inner nodes are hashed with distinct
 * one-byte prefixes so a leaf can never pass for a node.
 *
 *   leaf hash = SHA-256(0x00 ‖ d)             d: the 32 bytes of an event hash digest
 *   node hash = SHA-256(0x01 ‖ left ‖ right)
 *   MTH(D[n]) = node(MTH(D[0:k]), MTH(D[k:n])), k the largest power of two below n
 *
 * An inclusion proof is the RFC's audit path (sibling hashes from the leaf up),
 * checked with the RFC 9162 §2.1.3.2 procedure in `rootFromProof`.
 */

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);
const DIGEST_HEX = /^[0-9a-f]{64}$/;

const sha256 = (...parts: Buffer[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** SHA-256(0x00 ‖ data). */
export const leafHash = (data: Buffer): Buffer => sha256(LEAF_PREFIX, data);

/** SHA-256(0x01 ‖ left ‖ right). */
export const nodeHash = (left: Buffer, right: Buffer): Buffer => sha256(NODE_PREFIX, left, right);

/** The 32 bytes of a CBV 2.0 event hash (`ni:///sha-256;<hex>?ver=CBV2.0`). */
export function eventHashDigest(eventHash: string): Buffer {
  const match = /^ni:\/\/\/sha-256;([0-9a-fA-F]{64})\?ver=CBV2\.0$/.exec(eventHash);
  if (!match) throw new Error(`'${eventHash}' is not a CBV 2.0 event hash id`);
  return Buffer.from(match[1].toLowerCase(), 'hex');
}

/** The largest power of two strictly below n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH over leaf hashes already computed. */
function rootOfLeaves(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaves[0];
  const k = splitPoint(leaves.length);
  return nodeHash(rootOfLeaves(leaves.slice(0, k)), rootOfLeaves(leaves.slice(k)));
}

function pathOfLeaves(index: number, leaves: readonly Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  const k = splitPoint(leaves.length);
  return index < k
    ? [...pathOfLeaves(index, leaves.slice(0, k)), rootOfLeaves(leaves.slice(k))]
    : [...pathOfLeaves(index - k, leaves.slice(k)), rootOfLeaves(leaves.slice(0, k))];
}

/** The Merkle tree head of the given leaf data (RFC 6962 MTH). */
export function merkleRoot(data: readonly Buffer[]): Buffer {
  return rootOfLeaves(data.map(leafHash));
}

/** The audit path of leaf `index` (RFC 6962 PATH), from the leaf's sibling up to the root's child. */
export function inclusionProof(index: number, data: readonly Buffer[]): Buffer[] {
  if (!Number.isInteger(index) || index < 0 || index >= data.length) throw new RangeError(`leaf ${index} is not in a tree of ${data.length}`);
  return pathOfLeaves(index, data.map(leafHash));
}

/**
 * The root an inclusion proof leads to from a leaf hash (RFC 9162 §2.1.3.2),
 * or null when the proof cannot belong to a tree of that size (too long or too short).
 */
export function rootFromProof(leaf: Buffer, index: number, treeSize: number, proof: readonly Buffer[]): Buffer | null {
  if (!Number.isInteger(index) || !Number.isInteger(treeSize) || index < 0 || index >= treeSize) return null;
  let fn = index;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** Hex (lower case) of a 32-byte hash; the form receipts carry. */
export const toHex = (hash: Buffer): string => hash.toString('hex');

/** The bytes of a 64-digit hex hash, or null for anything else. */
export function fromHex(hex: unknown): Buffer | null {
  return typeof hex === 'string' && DIGEST_HEX.test(hex) ? Buffer.from(hex, 'hex') : null;
}
