import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { eventHashDigest, inclusionProof, leafHash, merkleRoot, nodeHash, rootFromProof } from './merkle';

// The leaf inputs and tree heads of Certificate Transparency's own Merkle tree tests
// (certificate-transparency, merkle_tree_test.cc): the reference for RFC 6962 hashing.
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => Buffer.from(h, 'hex'));
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const sha = (...parts: Buffer[]) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();

/** An independent oracle: the tree built bottom-up level by level, an odd last node promoted unchanged (RFC 6962's shape). */
function levelRoot(data: Buffer[]): Buffer {
  if (data.length === 0) return sha();
  let level: Buffer[] = data.map((d) => sha(Buffer.from([0]), d));
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? sha(Buffer.from([1]), level[i], level[i + 1]) : level[i]);
    level = next;
  }
  return level[0];
}

describe('RFC 6962 Merkle tree', () => {
  it('gives the tree heads of the Certificate Transparency test vectors', () => {
    expect(merkleRoot([]).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    CT_ROOTS.forEach((root, i) => expect(merkleRoot(CT_LEAVES.slice(0, i + 1)).toString('hex')).toBe(root));
  });

  it('prefixes leaves with 0x00 and nodes with 0x01', () => {
    const a = Buffer.alloc(32, 1);
    const b = Buffer.alloc(32, 2);
    expect(leafHash(a)).toEqual(sha(Buffer.from([0]), a));
    expect(merkleRoot([a, b])).toEqual(sha(Buffer.from([1]), leafHash(a), leafHash(b)));
    expect(nodeHash(a, b)).not.toEqual(nodeHash(b, a));
  });

  it('agrees with a level-by-level oracle for every size up to 70', () => {
    for (let n = 0; n <= 70; n++) {
      const data = Array.from({ length: n }, (_, i) => sha(Buffer.from(String(i))));
      expect(merkleRoot(data)).toEqual(levelRoot(data));
    }
  });

  it('proves every leaf of every tree up to 40 leaves, and no proof passes for another leaf or index', () => {
    for (let n = 1; n <= 40; n++) {
      const data = Array.from({ length: n }, (_, i) => sha(Buffer.from(`leaf ${i}`)));
      const root = merkleRoot(data);
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(i, data);
        expect(rootFromProof(leafHash(data[i]), i, n, proof)).toEqual(root);
        const other = leafHash(sha(Buffer.from('other')));
        expect(rootFromProof(other, i, n, proof)).not.toEqual(root);
        if (n > 1) expect(rootFromProof(leafHash(data[i]), (i + 1) % n, n, proof)).not.toEqual(root);
      }
    }
  });

  it('refuses proofs of the wrong length and leaves outside the tree', () => {
    const data = Array.from({ length: 5 }, (_, i) => sha(Buffer.from([i])));
    const proof = inclusionProof(2, data);
    expect(rootFromProof(leafHash(data[2]), 2, 5, [...proof, proof[0]])).toBeNull();
    expect(rootFromProof(leafHash(data[2]), 2, 5, proof.slice(1))).toBeNull();
    expect(rootFromProof(leafHash(data[2]), 5, 5, proof)).toBeNull();
    expect(() => inclusionProof(5, data)).toThrow(RangeError);
  });

  it('changes the root when any bit of any leaf changes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.nat(), fc.integer({ min: 0, max: 255 }), (n, pick, bit) => {
        const data = Array.from({ length: n }, (_, i) => sha(Buffer.from(`p${i}`)));
        const edited = data.map((d) => Buffer.from(d));
        const i = pick % n;
        edited[i][bit >> 3] ^= 1 << (bit & 7);
        return !merkleRoot(edited).equals(merkleRoot(data));
      }),
    );
  });

  it('reads the digest out of an event hash id and refuses anything else', () => {
    const hex = 'b3d481c5590757ab8361a6cb0e924820feb3b61eb568e7d7703f21a96f76f51d';
    expect(eventHashDigest(`ni:///sha-256;${hex}?ver=CBV2.0`).toString('hex')).toBe(hex);
    expect(() => eventHashDigest(`ni:///sha-256;${hex.slice(2)}?ver=CBV2.0`)).toThrow();
    expect(() => eventHashDigest('urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8')).toThrow();
  });
});
