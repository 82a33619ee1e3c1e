import { entryHash, type AuditEntry } from '@tiersight/audit';
import { validateEpcisDocument } from '@tiersight/epcis-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareCapture } from './capture-model';
import { eventHashDigest, merkleRoot, toHex } from './merkle';
import { buildReceipt, verifyReceipt, type EventReceipt } from './receipt';

const FIXTURE = join(__dirname, '..', '..', '..', 'fixtures', 'epcis', 'openepcis', 'valid', 'ObjectEvent_with_userExtensions.json');
const SENSOR = join(__dirname, '..', '..', '..', 'fixtures', 'epcis', 'eventhash', 'epcisDocWithSensorDataObjectEvent.jsonld');

/** A receipt for event `index` of a fixture document, its root recorded in a hand-made audit entry. */
function receiptFor(path: string, index: number): EventReceipt {
  const body = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  const valid = validateEpcisDocument(body);
  if (!valid.ok) throw new Error('fixture invalid');
  const prepared = prepareCapture(valid.document);
  if (!prepared.ok) throw new Error('fixture refused');
  const events = [...prepared.capture.events, ...prepared.capture.events.map((e) => ({ ...e, eventHash: e.eventHash.replace(/;(.)/, ';f') }))];
  const leafHashes = events.map((e) => e.eventHash);
  const root = toHex(merkleRoot(leafHashes.map(eventHashDigest)));
  const draft = {
    seq: 7,
    at: '2024-05-01T00:00:00.000Z',
    actor: { keyId: 'key_x', role: 'admin', supplierId: null },
    action: 'epcis.capture',
    target: 'cap_x',
    change: { captureId: 'cap_x', merkleRoot: root, treeSize: leafHashes.length },
    prevHash: 'a'.repeat(64),
  };
  const auditEntry: AuditEntry = { ...draft, hash: entryHash(draft) };
  const event = events[index];
  return buildReceipt({
    eventId: event.eventHash,
    eventHash: event.eventHash,
    event: JSON.parse(event.rawJson) as Record<string, unknown>,
    context: JSON.parse(event.contextJson) as unknown,
    captureId: 'cap_x',
    leafHashes,
    leafIndex: index,
    root,
    auditEntry,
  });
}

const failed = (receipt: unknown) =>
  verifyReceipt(receipt)
    .checks.filter((c) => !c.ok)
    .map((c) => c.check);

describe('event receipts', () => {
  it('verifies every event of a capture, through JSON and back', () => {
    for (const index of [0, 1]) {
      const receipt = JSON.parse(JSON.stringify(receiptFor(FIXTURE, index))) as unknown;
      expect(verifyReceipt(receipt)).toEqual({ ok: true, checks: expect.any(Array) });
    }
    expect(verifyReceipt(receiptFor(SENSOR, 0)).ok).toBe(true);
  });

  it('fails the event hash when any value of the event changes', () => {
    const receipt = receiptFor(SENSOR, 0);
    const sensor = receipt.event.sensorElementList as { sensorReport: { value: number }[] }[];
    sensor[0].sensorReport[0].value = 2;
    expect(failed(receipt)).toEqual(['event hash']);
  });

  it('fails the proof when the stated hash, a sibling, the index or the size is changed', () => {
    const base = receiptFor(FIXTURE, 1);
    expect(failed({ ...base, proof: [base.proof[0].replace(/^./, (c) => (c === '0' ? '1' : '0')), ...base.proof.slice(1)] })).toEqual(['inclusion proof']);
    expect(failed({ ...base, leafIndex: 2 })).toEqual(['inclusion proof']);
    expect(failed({ ...base, treeSize: 9 })).toContain('inclusion proof');
    expect(failed({ ...base, proof: base.proof.slice(1) })).toEqual(['inclusion proof']);
  });

  it('fails when the root is not the one the audit entry records, or the entry was edited', () => {
    const base = receiptFor(FIXTURE, 0);
    expect(failed({ ...base, root: 'b'.repeat(64) })).toEqual(['inclusion proof', 'root recorded']);
    const edited = { ...base.auditEntry, change: { ...(base.auditEntry.change as object), merkleRoot: 'c'.repeat(64) } };
    expect(failed({ ...base, auditEntry: edited })).toEqual(['audit entry', 'root recorded']);
  });

  it('answers anything that is not a receipt with failed checks, never an exception', () => {
    for (const junk of [null, 'x', 42, [], { event: 'x', proof: 'y', auditEntry: { hash: 1 } }]) {
      const result = verifyReceipt(junk);
      expect(result.ok).toBe(false);
      expect(result.checks.every((c) => !c.ok)).toBe(true);
    }
  });
});
