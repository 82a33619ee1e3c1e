import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { alertMessageId, generateSecret, secretKey, signatureHeader, signV1, verifyV1, webhookHeaders } from './signing';

interface Vector {
  name: string;
  secret: string;
  msg_id: string;
  timestamp: number;
  payload: string;
  expected_signature: string;
}
const vectors = JSON.parse(readFileSync(join(__dirname, '../../../fixtures/standard-webhooks/vectors.json'), 'utf8'));
const hmac: Vector[] = vectors.hmac_v1;

describe('Standard Webhooks signing', () => {
  it.each(hmac.map((v) => [v.name, v] as const))('matches the published vector: %s', (_name, v) => {
    expect(signV1(v.secret, v.msg_id, v.timestamp, v.payload)).toBe(v.expected_signature);
    expect(verifyV1(v.secret, v.msg_id, v.timestamp, v.payload, v.expected_signature)).toBe(true);
  });

  it('rejects the negative vectors that carry a secret and a payload', () => {
    const negatives = (vectors.negative_cases as Array<Partial<Vector> & { signature_header?: string }>).filter(
      (n) => n.secret && n.payload && n.signature_header,
    );
    expect(negatives.length).toBeGreaterThanOrEqual(3);
    for (const n of negatives) {
      const ts = n.timestamp ?? 1649367553;
      expect(verifyV1(n.secret!, n.msg_id!, ts, n.payload!, n.signature_header!)).toBe(false);
    }
    const v = hmac[0];
    for (const header of [
      'v1,dawfeoifkpqwoekfpqoekf',
      'v1,',
      v.expected_signature.slice(3),
      `,${v.expected_signature.slice(3)}`,
      `v2,${v.expected_signature.slice(3)}`,
    ]) {
      expect(verifyV1(v.secret, v.msg_id, v.timestamp, v.payload, header)).toBe(false);
    }
    // A changed body, id or timestamp.
    expect(verifyV1(v.secret, v.msg_id, v.timestamp, `${v.payload} `, v.expected_signature)).toBe(false);
    expect(verifyV1(v.secret, `${v.msg_id}x`, v.timestamp, v.payload, v.expected_signature)).toBe(false);
    expect(verifyV1(v.secret, v.msg_id, v.timestamp + 1, v.payload, v.expected_signature)).toBe(false);
  });

  it('finds the matching signature among decoys in a space-separated header', () => {
    const v = hmac[0];
    const decoys: string[] = vectors.multi_signature.decoys;
    expect(verifyV1(v.secret, v.msg_id, v.timestamp, v.payload, [decoys[0], v.expected_signature, decoys[1]].join(' '))).toBe(true);
  });

  it('accepts secrets without base64 padding, as the reference libraries do', () => {
    const v = hmac[0];
    expect(signV1(v.secret.replace('whsec_', ''), v.msg_id, v.timestamp, v.payload)).toBe(v.expected_signature);
    expect(secretKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS').length).toBe(23);
  });

  it('refuses unusable secrets and timestamps', () => {
    expect(() => secretKey('whsec_')).toThrow();
    expect(() => secretKey('whsec_not base64!')).toThrow();
    expect(() => signV1(hmac[0].secret, 'msg_1', 1.5, '{}')).toThrow(RangeError);
    expect(() => signV1(hmac[0].secret, 'msg_1', -1, '{}')).toThrow(RangeError);
  });

  it('signs with every secret during a rotation, and the reference library verifies each', () => {
    const [current, previous] = [generateSecret(), generateSecret()];
    expect(current).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = JSON.stringify({ type: 'exposure.created', timestamp: new Date().toISOString(), data: { skuId: 'SKU-1' } });
    const ts = Math.floor(Date.now() / 1000);
    const headers = webhookHeaders([current, previous], 'msg_abc', ts, body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(headers['webhook-signature']).toBe(signatureHeader([current, previous], 'msg_abc', ts, body));
    for (const secret of [current, previous]) expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow();
    // Our header equals what the reference implementation produces for the same input.
    expect(new Webhook(current).sign('msg_abc', new Date(ts * 1000), body)).toBe(signV1(current, 'msg_abc', ts, body));
  });

  it('derives stable, distinct message ids usable as job ids', () => {
    const a = alertMessageId('wh_1', '1700000000000-0');
    expect(a).toBe(alertMessageId('wh_1', '1700000000000-0'));
    expect(a).toMatch(/^msg_[0-9a-z]{26}$/);
    expect(alertMessageId('wh_2', '1700000000000-0')).not.toBe(a);
    expect(alertMessageId('wh_1', '1700000000000-1')).not.toBe(a);
  });
});
