import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './api/schema';
import { currentSession, saveSession } from './session';

/** The API's shapes, as its OpenAPI document (apps/web/src/api/openapi.json, `npm run openapi`) declares them. */
export type Schemas = components['schemas'];

/** A row-level problem as the API reports it (import and portal validation). */
export type RowError = Schemas['ProblemRowError'];

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

/** Query values as the pages hold them: empty ones are left out of the URL. */
function querySerializer(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  return params.toString();
}

/** Calls that carry the session's key rather than one of their own: a 401 to one of them ends the session. */
const sessionCalls = new Set<string>();

const sessionKey: Middleware = {
  onRequest({ request, id }) {
    if (request.headers.has('authorization')) return;
    sessionCalls.add(id);
    const key = currentSession()?.key;
    if (key) request.headers.set('authorization', `Bearer ${key}`);
  },
  onResponse({ response, id }) {
    if (sessionCalls.delete(id) && response.status === 401) saveSession(null);
  },
  onError({ id }) {
    sessionCalls.delete(id);
  },
};

/** The platform's API, typed from its OpenAPI document; calls carry the signed-in key. */
export const client = createClient<paths>({ headers: { accept: 'application/json' }, querySerializer });
client.use(sessionKey);

/** Request options for a call made with a given key instead of the session's (signing in). */
export const withKey = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

/** The data of a 2xx answer; any other answer is thrown as an ApiError. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  throw toError(response.status, error);
}

function toError(status: number, body: unknown): ApiError {
  const p = (body && typeof body === 'object' ? body : {}) as Partial<Schemas['Problem']> & { message?: unknown };
  const title = typeof p.title === 'string' ? p.title : `HTTP ${status}`;
  const detail = typeof p.detail === 'string' ? p.detail : typeof p.message === 'string' ? p.message : undefined;
  const errors = Array.isArray(p.errors) ? p.errors.map((e: unknown): RowError => (e && typeof e === 'object' ? (e as RowError) : { message: String(e) })) : [];
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
