jest.setTimeout(90_000);
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FeedFetchError, fetchFeedDocument } from './feed-fetcher';

/** The fetcher against a real local HTTP server: limits hold whatever the source does. */
describe('fetchFeedDocument', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/ok') return res.end('{"type":"FeatureCollection","features":[]}');
      if (req.url === '/big-declared') {
        res.setHeader('content-length', String(10_000_000));
        return res.end();
      }
      if (req.url === '/big-chunked') {
        // No length given; keeps streaming until the reader gives up.
        const chunk = Buffer.alloc(64 * 1024, 120);
        const timer = setInterval(() => res.write(chunk), 1);
        res.on('close', () => clearInterval(timer));
        return;
      }
      if (req.url === '/slow') return setTimeout(() => res.end('late'), 5000).unref();
      res.statusCode = 502;
      res.end('bad gateway');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const get = (path: string, maxBytes = 1_000_000, timeoutMs = 2000) => fetchFeedDocument(base + path, { maxBytes, timeoutMs });

  it('returns the body', async () => {
    expect((await get('/ok')).body.toString()).toContain('FeatureCollection');
  });
  it('refuses a declared length over the limit before reading', async () => {
    await expect(get('/big-declared')).rejects.toThrow(/declares 10000000 bytes, over the 1000000-byte limit/);
  });
  it('aborts an endless body at the limit', async () => {
    await expect(get('/big-chunked')).rejects.toThrow(/sent more than the 1000000-byte limit/);
  });
  it('gives up on a silent source at the deadline', async () => {
    await expect(get('/slow', 1000, 300)).rejects.toThrow(/no answer before the timeout/);
  });
  it('reports an error status', async () => {
    await expect(get('/missing')).rejects.toThrow(FeedFetchError);
    await expect(get('/missing')).rejects.toThrow(/answered HTTP 502/);
  });
  it('reports a refused connection', async () => {
    // A port that was just free: nothing listens there any more.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    await expect(fetchFeedDocument(`http://127.0.0.1:${port}/x`, { maxBytes: 10, timeoutMs: 1000 })).rejects.toThrow(/ECONNREFUSED/);
  });
});
