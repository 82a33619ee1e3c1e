import { currentSession, saveSession } from './session';

/** A row-level problem as the API reports it (import and portal validation). */
export interface RowError {
  entity?: string;
  index?: number;
  row?: number;
  line?: number;
  field?: string;
  message: string;
}

/** An answer other than 2xx, read from its application/problem+json body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: RowError[],
    readonly body: unknown,
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  method?: string;
  query?: Query;
  json?: unknown;
  /** A raw body (for example CSV text) with its content type. */
  text?: { body: string; type: string };
  /** A key to use instead of the session's (signing in). */
  key?: string;
}

function url(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Calls the platform's API with the signed-in key; a 401 ends the session. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const key = options.key ?? currentSession()?.key;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.text) {
    headers['content-type'] = options.text.type;
    body = options.text.body;
  }
  const res = await fetch(url(path, options.query), { method: options.method ?? (body ? 'POST' : 'GET'), headers, body });
  const raw = await res.text();
  let parsed: unknown = null;
  try {
    parsed = raw ? JSON.parse(raw) : null;
  } catch {
    parsed = raw;
  }
  if (res.ok) return parsed as T;
  if (res.status === 401 && !options.key) saveSession(null);
  throw toError(res.status, parsed);
}

function toError(status: number, body: unknown): ApiError {
  const p = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const title = typeof p.title === 'string' ? p.title : `HTTP ${status}`;
  const detail = typeof p.detail === 'string' ? p.detail : typeof p.message === 'string' ? p.message : undefined;
  const errors = Array.isArray(p.errors)
    ? p.errors.map((e): RowError => (e && typeof e === 'object' ? (e as RowError) : { message: String(e) }))
    : [];
  return new ApiError(status, title, detail, errors, body);
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 403) return `Not allowed for this key (${error.detail ?? error.title}).`;
    if (error.status === 429) return 'Too many requests for this key; wait a minute and try again.';
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Runs the tasks with at most `limit` in flight (keeps a page's burst under the per-key rate limit). */
export async function inBatches<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i]);
    }
  });
  await Promise.all(workers);
  return out;
}
