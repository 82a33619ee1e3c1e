import { createHash } from 'node:crypto';
import { AuditEntry, canonicalJson, ChainVerifier, entryHash, GENESIS_HASH } from './audit-hash';

const actor = { keyId: 'key_1', role: 'admin', supplierId: null };

function chain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const draft = { seq, at: `2025-01-0${seq}T00:00:00.000Z`, actor, action: 'graph.import', target: null, change: { rows: seq, ok: true }, prevHash };
    const entry = { ...draft, hash: entryHash(draft) };
    out.push(entry);
    prevHash = entry.hash;
  }
  return out;
}

const verify = (entries: AuditEntry[], head = { seq: entries.length, hash: entries[entries.length - 1]?.hash ?? GENESIS_HASH }) => {
  const v = new ChainVerifier();
  entries.every((e) => v.push(e));
  return v.result(head);
};

describe('canonical JSON (RFC 8785)', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: undefined, b: null } })).toBe('{"a":{"b":null,"d":[1,"x"]},"b":1}');
  });
  it('writes numbers the ECMAScript way', () => {
    expect(canonicalJson([1.0, 0.1, 1e21, -0])).toBe('[1,0.1,1e+21,0]');
  });
});

describe('entry hash', () => {
  it('is the SHA-256 of the canonical entry without its hash', () => {
    const draft = { seq: 1, at: '2025-01-01T00:00:00.000Z', actor, action: 'x', target: 't', change: { z: 1, a: 2 }, prevHash: GENESIS_HASH };
    const expected = createHash('sha256')
      .update(
        `{"action":"x","actor":{"keyId":"key_1","role":"admin","supplierId":null},"at":"2025-01-01T00:00:00.000Z","change":{"a":2,"z":1},"prevHash":"${GENESIS_HASH}","seq":1,"target":"t"}`,
      )
      .digest('hex');
    expect(entryHash(draft)).toBe(expected);
  });
  it('does not depend on key order', () => {
    const a = { seq: 1, at: 'a', actor, action: 'x', target: null, change: { a: 1, b: 2 }, prevHash: GENESIS_HASH };
    expect(entryHash(a)).toBe(entryHash({ ...a, change: { b: 2, a: 1 } }));
  });
});

describe('chain verification', () => {
  it('accepts an intact chain and an empty one', () => {
    expect(verify(chain(5))).toEqual({ ok: true, entries: 5, headHash: chain(5)[4].hash });
    expect(verify([])).toEqual({ ok: true, entries: 0, headHash: GENESIS_HASH });
  });

  it('names an entry whose content was edited, and only that one', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2], change: { rows: 99, ok: true } };
    expect(verify(entries)).toMatchObject({ ok: false, firstBroken: { seq: 3, reason: 'content does not match its hash' } });
  });

  it('names an entry whose hash was recomputed after an edit (the next one no longer links)', () => {
    const entries = chain(5);
    const edited = { ...entries[1], action: 'other' };
    entries[1] = { ...edited, hash: entryHash(edited) };
    expect(verify(entries)).toMatchObject({ ok: false, firstBroken: { seq: 3, reason: 'prevHash is not the hash of the previous entry' } });
  });

  it('finds a removed entry and a removed tail', () => {
    const entries = chain(5);
    expect(verify([...entries.slice(0, 2), ...entries.slice(3)], { seq: 5, hash: entries[4].hash })).toMatchObject({ firstBroken: { seq: 4 } });
    expect(verify(entries.slice(0, 4), { seq: 5, hash: entries[4].hash })).toMatchObject({ ok: false, firstBroken: { seq: 5 } });
  });
});
