import http from 'node:http';
import type { FuzzCase } from './bad-input-arbitraries';

/** What a refused request must leave as it was: the graph version and the head of the audit chain. */
export interface WriteMark {
  graphVersion: number;
  auditSeq: number;
  auditHash: string | null;
}

/** A running API and what the runner needs of it. */
export interface FuzzTarget {
  url: string;
  /** The key a case of this operation is sent with unless the case sets its own header. */
  keyFor(operation: string): string;
  mark(): Promise<WriteMark>;
}

export interface FuzzFailure {
  index: number;
  rule: '5xx' | 'not problem+json' | 'problem body' | 'write on refusal' | 'no answer' | 'not alive' | 'process error';
  status: number | null;
  request: string;
  detail: string;
}

export interface FuzzReport {
  cases: number;
  ms: number;
  /** Answers by status code. */
  statuses: Record<string, number>;
  operations: number;
  /** Every failure counts here; the first `maxFailures` are kept in `failures`. */
  failed: number;
  failures: FuzzFailure[];
  /** Accepted (2xx) cases by kind of mutation: not failures, but where to look for a validation that lets bad input through. */
  accepted: Record<string, number>;
  /** Time spent reading the write marks (the rest is the API's). */
  markMs: number;
  /** The slowest cases, slowest first: where a run's time goes. */
  slowest: Array<{ ms: number; status: number | null; request: string }>;
}

const SLOWEST_KEPT = 5;

export interface RunOptions {
  timeoutMs?: number;
  /** Liveness is checked (and progress reported) every this many cases, and at the end. */
  checkEvery?: number;
  onProgress?: (done: number, report: FuzzReport) => void;
  /** Called with every answer's status, in the order of the cases. */
  onAnswer?: (c: FuzzCase, status: number) => void;
  /** Failures kept in the report (all are counted in `statuses`); the rest are dropped so a long run stays small. */
  maxFailures?: number;
}

interface Answer {
  status: number;
  type: string;
  text: string;
}

const excerpt = (text: string | undefined, max = 240) => {
  if (text === undefined) return '';
  const shown = JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
  return text.length > max ? `${shown} (${text.length} chars)` : shown;
};

/** How a case is shown in a report: enough to send it again by hand. */
export function describeCase(c: FuzzCase): string {
  const headers = Object.entries(c.headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
  const auth = c.auth === undefined ? '' : ` authorization: ${excerpt(c.auth, 60)}`;
  return `${c.method} ${c.target.length > 200 ? `${c.target.slice(0, 200)}…` : c.target} [${c.mutation}] ${headers}${auth} body: ${excerpt(c.body)}`;
}

/** Sends the cases one at a time over real HTTP and checks every answer against the pass rules. */
export async function runCases(target: FuzzTarget, cases: Iterable<FuzzCase>, options: RunOptions = {}): Promise<FuzzReport> {
  const { timeoutMs = 20_000, checkEvery = 250, onProgress, onAnswer, maxFailures = 200 } = options;
  const base = new URL(target.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const report: FuzzReport = { cases: 0, ms: 0, statuses: {}, operations: 0, failed: 0, failures: [], accepted: {}, markMs: 0, slowest: [] };
  const mark = async () => {
    const started = Date.now();
    const m = await target.mark();
    report.markMs += Date.now() - started;
    return m;
  };
  const timed = (ms: number, status: number | null, c: FuzzCase) => {
    if (report.slowest.length === SLOWEST_KEPT && ms <= report.slowest[SLOWEST_KEPT - 1].ms) return;
    report.slowest = [...report.slowest, { ms, status, request: describeCase(c) }].sort((a, b) => b.ms - a.ms).slice(0, SLOWEST_KEPT);
  };
  const operations = new Set<string>();
  const fail = (failure: FuzzFailure) => {
    report.failed += 1;
    if (report.failures.length < maxFailures) report.failures.push(failure);
  };
  // An error nobody caught inside the API process (this process) is a crash waiting to happen.
  let current: FuzzCase | null = null;
  let i = -1;
  const onProcessError = (error: unknown) =>
    fail({ index: i, rule: 'process error', status: null, request: current ? describeCase(current) : '', detail: String(error) });
  process.on('unhandledRejection', onProcessError);
  process.on('uncaughtExceptionMonitor', onProcessError);
  const started = Date.now();
  const progress = async () => {
    await checkAlive(base, agent, timeoutMs).catch((error: unknown) =>
      fail({ index: i, rule: 'not alive', status: null, request: 'GET /health/live', detail: String(error) }),
    );
    report.ms = Date.now() - started;
    onProgress?.(i + 1, report);
  };
  try {
    let before = await mark();
    for (const c of cases) {
      i += 1;
      report.cases = i + 1;
      current = c;
      operations.add(c.operation);
      report.operations = operations.size;
      let answer: Answer;
      const sent = Date.now();
      try {
        answer = await send(base, agent, c, target.keyFor(c.operation), timeoutMs);
        timed(Date.now() - sent, answer.status, c);
      } catch (error) {
        timed(Date.now() - sent, null, c);
        fail({ index: i, rule: 'no answer', status: null, request: describeCase(c), detail: error instanceof Error ? error.message : String(error) });
        before = await mark();
        continue;
      }
      report.statuses[answer.status] = (report.statuses[answer.status] ?? 0) + 1;
      onAnswer?.(c, answer.status);
      if (answer.status >= 200 && answer.status < 300) {
        const kind = c.mutation.split(' ')[0];
        report.accepted[kind] = (report.accepted[kind] ?? 0) + 1;
      }
      for (const problem of check(answer)) fail({ index: i, rule: problem.rule, status: answer.status, request: describeCase(c), detail: problem.detail });
      const after = await mark();
      if (answer.status >= 400 && !sameMark(before, after)) {
        fail({
          index: i,
          rule: 'write on refusal',
          status: answer.status,
          request: describeCase(c),
          detail: `graph version ${before.graphVersion} → ${after.graphVersion}, audit head ${before.auditSeq} → ${after.auditSeq}`,
        });
      }
      before = after;
      if ((i + 1) % checkEvery === 0) await progress();
    }
    await progress();
  } finally {
    process.off('unhandledRejection', onProcessError);
    process.off('uncaughtExceptionMonitor', onProcessError);
    agent.destroy();
  }
  report.ms = Date.now() - started;
  return report;
}

const sameMark = (a: WriteMark, b: WriteMark) => a.graphVersion === b.graphVersion && a.auditSeq === b.auditSeq && a.auditHash === b.auditHash;

/** The pass rules of one answer: below 500; a 4xx is application/problem+json with type, title and its own status. */
function check(answer: Answer): Array<{ rule: FuzzFailure['rule']; detail: string }> {
  const problems: Array<{ rule: FuzzFailure['rule']; detail: string }> = [];
  if (answer.status >= 500) problems.push({ rule: '5xx', detail: excerpt(answer.text, 400) });
  if (answer.status < 400) return problems;
  if (!answer.type.toLowerCase().startsWith('application/problem+json')) {
    problems.push({ rule: 'not problem+json', detail: `content-type ${JSON.stringify(answer.type)}: ${excerpt(answer.text)}` });
    return problems;
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    body = null;
  }
  const p = body as { type?: unknown; title?: unknown; status?: unknown } | null;
  if (!p || typeof p.type !== 'string' || typeof p.title !== 'string' || p.status !== answer.status) {
    problems.push({ rule: 'problem body', detail: excerpt(answer.text) });
  }
  return problems;
}

function send(base: URL, agent: http.Agent, c: FuzzCase, key: string, timeoutMs: number): Promise<Answer> {
  const headers: Record<string, string> = { ...c.headers };
  const auth = c.auth ?? 'Bearer {key}';
  if (auth) headers.authorization = auth.replaceAll('{key}', key);
  const body = c.body === undefined ? undefined : Buffer.from(c.body, 'utf8');
  if (body) headers['content-length'] = String(body.length);
  return request(base, agent, { method: c.method, path: c.target, headers }, body, timeoutMs);
}

function request(
  base: URL,
  agent: http.Agent,
  options: { method: string; path: string; headers: Record<string, string> },
  body: Buffer | undefined,
  timeoutMs: number,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answer: Answer | null = null;
    const chunks: Buffer[] = [];
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      if (answer) resolve({ ...answer, text: Buffer.concat(chunks).toString('utf8') });
      else reject(error ?? new Error('no answer'));
    };
    const req = http.request({ host: base.hostname, port: base.port, agent, ...options }, (res) => {
      answer = { status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), text: '' };
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => settle());
      res.on('error', (error) => settle(error));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    // A server may answer (413, 415) before it has read a large body and then close: the answer counts.
    req.on('error', (error) => settle(error));
    req.end(body);
  });
}

async function checkAlive(base: URL, agent: http.Agent, timeoutMs: number): Promise<void> {
  const answer = await request(base, agent, { method: 'GET', path: '/health/live', headers: {} }, undefined, timeoutMs);
  if (answer.status !== 200) throw new Error(`GET /health/live answered ${answer.status}`);
}
