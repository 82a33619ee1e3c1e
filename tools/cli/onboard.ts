/**
 * npm run onboard -- <list.csv | list.xlsx> [--mapping JSON] [--accept] [--pairs confirm|reject] [--confirm] [--api URL] [--key KEY]
 *
 * Uploads a supplier list to a running API (POST /v1/onboarding/lists), shows
 * the review job's progress, then the review: counts, and the rows and
 * duplicate proposals that need a person. `--accept` accepts the pins to
 * confirm and rejects the blocked rows; `--pairs` decides every duplicate
 * proposal one way; `--confirm` writes the list through the normal import.
 * The key is `--key`, else ADMIN_API_KEY; the API `--api`, else HOST:PORT.
 */
import { SingleBar } from 'cli-progress';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiEnv, loadConfig } from '@tiersight/config';
import { runCli } from './run-cli';

const USAGE = 'usage: npm run onboard -- <list.csv | list.xlsx> [--mapping JSON] [--accept] [--pairs confirm|reject] [--confirm] [--api URL] [--key KEY]\n';
const POLL_MS = 300;

interface ReviewRow {
  row: number;
  status: 'ok' | 'to-confirm' | 'blocked';
  name: string | null;
  location: { lat: number; lon: number; precision: string; radiusKm: number } | null;
  issues: Array<{ message: string; blocking: boolean }>;
  duplicates: Array<{ id: string; a: Side; b: Side; score: number }>;
}
type Side = { row?: number; siteId?: string; name?: string | null };

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      mapping: { type: 'string' },
      accept: { type: 'boolean' },
      pairs: { type: 'string' },
      confirm: { type: 'boolean' },
      api: { type: 'string' },
      key: { type: 'string' },
    },
  });
  if (positionals.length !== 1 || (values.pairs !== undefined && !['confirm', 'reject'].includes(values.pairs))) {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = loadConfig(ApiEnv);
  const base = (values.api ?? `http://${config.HOST}:${config.PORT}`).replace(/\/$/, '');
  const key = values.key ?? config.ADMIN_API_KEY;
  if (!key) throw new Error('no API key: pass --key or set ADMIN_API_KEY');
  const call = async <T>(method: string, path: string, body?: FormData | object): Promise<T> => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}) },
      body: body instanceof FormData ? body : body ? JSON.stringify(body) : undefined,
    });
    const json: unknown = await res.json();
    if (res.status >= 400) throw new Error(problemText(json as Problem));
    return json as T;
  };

  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(readFileSync(positionals[0]))]), basename(positionals[0]));
  if (values.mapping) form.append('mapping', values.mapping);
  const accepted = (await call('POST', '/v1/onboarding/lists', form)) as {
    id: string;
    progress: { total: number };
    file: { format: string; encoding: string | null };
  };
  process.stderr.write(
    `list ${accepted.id}: ${accepted.progress.total} rows (${accepted.file.format}${accepted.file.encoding ? `, ${accepted.file.encoding}` : ''})\n`,
  );

  const bar = new SingleBar({ format: 'placing [{bar}] {percentage}% | {value}/{total} rows', stream: process.stderr });
  bar.start(accepted.progress.total, 0);
  let list: { status: string; error: string | null; progress: { done: number }; summary: Record<string, number> };
  for (;;) {
    list = await call<typeof list>('GET', `/v1/onboarding/lists/${accepted.id}?limit=1`);
    bar.update(list.progress.done);
    if (list.status !== 'queued' && list.status !== 'running') break;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  bar.stop();
  if (list.status === 'failed') throw new Error(`the review failed: ${list.error}`);

  const rows = await allRows(call, accepted.id);
  process.stdout.write(`${JSON.stringify(list.summary)}\n`);
  for (const r of rows.filter((x) => x.status !== 'ok')) {
    const where = r.location
      ? `${r.location.lat.toFixed(4)},${r.location.lon.toFixed(4)} ±${Math.round(r.location.radiusKm)} km (${r.location.precision})`
      : 'not placed';
    process.stdout.write(`row ${r.row} ${r.status}: ${r.name ?? '(no name)'} — ${where}; ${r.issues.map((i) => i.message).join('; ')}\n`);
  }
  const pairs = new Map(rows.flatMap((r) => r.duplicates.map((d) => [d.id, d] as const)));
  for (const d of pairs.values()) process.stdout.write(`${d.id} (${d.score.toFixed(2)}): ${sideText(d.a)} = ${sideText(d.b)}?\n`);

  if (values.accept || values.pairs) {
    await call('POST', `/v1/onboarding/lists/${accepted.id}/decisions`, {
      rows: values.accept ? rows.filter((r) => r.status !== 'ok').map((r) => ({ row: r.row, action: r.status === 'blocked' ? 'reject' : 'accept' })) : [],
      pairs: values.pairs ? [...pairs.keys()].map((id) => ({ id, action: values.pairs })) : [],
    });
  }
  if (values.confirm) {
    const done = await call<{ confirmation: object }>('POST', `/v1/onboarding/lists/${accepted.id}/confirm`, {});
    process.stdout.write(`${JSON.stringify(done.confirmation)}\n`);
  } else process.stderr.write(`review: ${base}/v1/onboarding/lists/${accepted.id}; confirm with POST …/confirm or --confirm\n`);
  return 0;
}

type Call = <T>(method: string, path: string) => Promise<T>;

async function allRows(call: Call, id: string): Promise<ReviewRow[]> {
  const out: ReviewRow[] = [];
  let cursor: string | null = null;
  do {
    const page = (await call('GET', `/v1/onboarding/lists/${id}?limit=500${cursor ? `&cursor=${cursor}` : ''}`)) as {
      rows: { items: ReviewRow[]; nextCursor: string | null };
    };
    out.push(...page.rows.items);
    cursor = page.rows.nextCursor;
  } while (cursor);
  return out;
}

const sideText = (s: Side) => (s.row !== undefined ? `row ${s.row}` : `site ${s.siteId}${s.name ? ` (${s.name})` : ''}`);

interface Problem {
  detail?: string;
  title?: string;
  errors?: Array<{ message: string }>;
}

function problemText(problem: Problem): string {
  const errors = (problem.errors ?? []).slice(0, 30).map((e) => `\n  ${e.message}`);
  return `${problem.title ?? 'error'}: ${problem.detail ?? ''}${errors.join('')}`;
}

runCli('onboard', main);
