import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { namedIds } from '@tiersight/access';

/** An answer serialised once, sent as it is to every caller: its JSON text and a strong entity tag of that text. */
export interface SerializedJson {
  readonly text: string;
  readonly etag: string;
}

/**
 * The answer as JSON text, or null when it names suppliers or sites: the
 * masking interceptor decides per request which of those names a caller may
 * see, so such an answer must reach it as an object.
 */
export function serializeUnlessNamed(value: unknown): SerializedJson | null {
  if (namedIds(value).length > 0) return null;
  const text = JSON.stringify(value);
  return { text, etag: `"${createHash('sha1').update(text).digest('base64url')}"` };
}

/** An answer as a cache holds it: the JSON text when it could be serialised once, else the object. */
export type HeldAnswer<T> = { readonly json: SerializedJson } | { readonly json: null; readonly value: T };

/** What a cache holds for `value`. */
export function holdAnswer<T>(value: T): HeldAnswer<T> {
  const json = serializeUnlessNamed(value);
  return json ? { json } : { json: null, value };
}

/**
 * The handler's return value for a held answer. Serialised text goes out as
 * `application/json` with its ETag (Express then answers 304 to a matching
 * If-None-Match, and skips hashing the body); an object goes through the
 * interceptors and Express's JSON as any other answer.
 */
export function replyWith<T>(held: HeldAnswer<T>, res: Response): T | string {
  if (held.json === null) return held.value;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('ETag', held.json.etag);
  return held.json.text;
}
