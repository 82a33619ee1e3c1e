/** A pull that failed for a reason worth retrying (the source is down, slow or answers an error). */
export class FeedFetchError extends Error {}

export interface FetchedDocument {
  body: Buffer;
  contentType: string | null;
}

/**
 * Fetches one feed document with a deadline and a byte limit. The body is
 * read as a stream and the transfer is aborted as soon as it passes the
 * limit, so a hostile or broken source cannot exhaust memory.
 */
export async function fetchFeedDocument(url: string, options: { timeoutMs: number; maxBytes: number }): Promise<FetchedDocument> {
  let response: Response;
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    response = await fetch(url, {
      signal,
      redirect: 'follow',
      headers: {
        accept: 'application/json, application/geo+json, application/xml, application/rss+xml, application/atom+xml, application/cap+xml, */*;q=0.5',
        'user-agent': 'Tiersight feed reader',
      },
    });
  } catch (error) {
    throw new FeedFetchError(`cannot fetch ${url}: ${describe(error)}`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new FeedFetchError(`${url} answered HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new FeedFetchError(`${url} declares ${declared} bytes, over the ${options.maxBytes}-byte limit`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.length;
      if (size > options.maxBytes) {
        await response.body?.cancel().catch(() => undefined);
        throw new FeedFetchError(`${url} sent more than the ${options.maxBytes}-byte limit`);
      }
      chunks.push(Buffer.from(chunk));
    }
  } catch (error) {
    if (error instanceof FeedFetchError) throw error;
    throw new FeedFetchError(`reading ${url} failed: ${describe(error)}`);
  }
  return { body: Buffer.concat(chunks), contentType: response.headers.get('content-type') };
}

function describe(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'no answer before the timeout';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error);
}
