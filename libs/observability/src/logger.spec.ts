import { createLogger, MIN_SECRET_LENGTH, scrubSecrets, secretsOf } from './logger';

const TOKEN = 'tsk_Q2hhbmdlLW1lLXBsZWFzZS10aGlzLWlzLWEtdGVzdA';
const WEBHOOK_SECRET = 'whsec_c2VjcmV0LXNpZ25pbmcta2V5LWZvci10ZXN0cw==';

function capture(secrets: string[] = []) {
  const lines: string[] = [];
  const logger = createLogger({ name: 'test', level: 'trace', pretty: false, secrets, destination: { write: (line: string) => lines.push(line) } });
  return { logger, text: () => lines.join('') };
}

describe('log redaction', () => {
  it('drops secret fields by path, at the top and one level down', () => {
    const { logger, text } = capture();
    logger.info({ req: { headers: { authorization: 'Bearer abc', cookie: 'sid=1' } } }, 'request');
    logger.info(
      { headers: { authorization: 'Basic xyz' }, sub: { secret: 'plain-secret-1', previousSecret: 'plain-secret-2', url: 'https://hooks.example/x' } },
      'sub',
    );
    logger.info({ password: 'hunter2', user: { password: 'hunter3', name: 'ann' }, apiKey: 'k1', token: 't1' }, 'fields');
    const out = text();
    for (const secret of ['Bearer abc', 'sid=1', 'Basic xyz', 'plain-secret-1', 'plain-secret-2', 'hunter2', 'hunter3', '"k1"', '"t1"'])
      expect(out).not.toContain(secret);
    expect(out).toContain('https://hooks.example/x');
    expect(out).toContain('"name":"ann"');
    expect(out.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(9);
  });

  it('scrubs secret shapes wherever they appear: messages, errors, URLs, nested fields', () => {
    const { logger, text } = capture();
    logger.warn(`retrying with ${TOKEN}`);
    logger.error({ err: new Error(`signing with ${WEBHOOK_SECRET} failed`) }, 'delivery failed');
    logger.info({ deep: { deeper: { header: `Bearer ${TOKEN}`, basic: 'Basic dXNlcjpzM2NyZXQtcGFzc3dvcmQ=' } } }, 'nested');
    logger.info({ url: '/v1/skus?key=tsk_in-a-query-string-0123456789' }, 'request completed');
    logger.fatal(`cannot reach Redis at redis://:r3dis-pa55word@cache.internal:6379: refused`);
    logger.info({ mqtt: 'mqtts://device:mq-pa55word@broker:8883' }, 'broker');
    const out = text();
    for (const secret of [TOKEN, WEBHOOK_SECRET, 'dXNlcjpzM2NyZXQtcGFzc3dvcmQ=', 'tsk_in-a-query', 'r3dis-pa55word', 'mq-pa55word'])
      expect(out).not.toContain(secret);
    expect(out).toContain('redis://:[redacted]@cache.internal:6379');
    expect(out).toContain('mqtts://device:[redacted]@broker:8883');
    expect(out).toContain('Bearer [redacted]');
    // Every line is still one valid JSON object.
    for (const line of out.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('scrubs the configured secret values, raw or JSON-escaped, but not short ones', () => {
    const admin = 'my "admin" key \\ 0123456789';
    const { logger, text } = capture([admin, 'neo4j']);
    logger.info({ note: `the key is ${admin}` }, `also here: ${admin}`);
    logger.info('neo4j is reachable');
    const out = text();
    expect(out).not.toContain(JSON.stringify(admin).slice(1, -1));
    expect(out).not.toContain('0123456789');
    expect(out).toContain('neo4j is reachable');
    for (const line of out.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('leaves ordinary text alone', () => {
    const text = '{"msg":"the queue board takes Basic auth or a Bearer key","keyId":"key_abc","url":"http://127.0.0.1:3000/v1/skus"}';
    expect(scrubSecrets(text)).toBe(text);
  });

  it('names the secret variables of a configuration', () => {
    const config = { NEO4J_PASSWORD: 'pw-123456789', ADMIN_API_KEY: 'a'.repeat(20), NEO4J_USER: 'neo4j', PORT: 3000, WEBHOOK_SECRET_GRACE_S: 60 };
    expect(secretsOf(config).sort()).toEqual(['a'.repeat(20), 'pw-123456789']);
    expect(MIN_SECRET_LENGTH).toBe(8);
  });
});
