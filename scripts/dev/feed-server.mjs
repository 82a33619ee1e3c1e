// A local HTTP server that publishes the bundled real feed samples, so the demo's
// worker pulls them exactly as it would pull the live USGS, GDACS and CAP URLs.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './dev-env.mjs';

/** The samples the demo publishes: one per format, each a real published document (fixtures/feeds/…/SOURCES.md). */
export const DEMO_FEEDS = [
  { id: 'usgs-significant', format: 'usgs-geojson', file: 'fixtures/feeds/usgs/usgs-significant_month-2023-10-11.geojson', type: 'application/geo+json' },
  { id: 'gdacs-orange-red', format: 'gdacs-rss', file: 'fixtures/feeds/gdacs/rss/erectus-gdacs-archive-orange-2012-2016.xml', type: 'application/rss+xml' },
  { id: 'gdacs-current', format: 'gdacs-rss', file: 'fixtures/feeds/gdacs/rss/ocha-hdx-gdacs-rss-2024-12-10-full.xml', type: 'application/rss+xml' },
  {
    id: 'cap-flash-flood',
    format: 'cap',
    file: 'fixtures/feeds/cap/kde-foss-public-alert-server/il-488abaaf-cad5-4d2b-93b2-703016878453.xml',
    type: 'application/cap+xml',
  },
];

/** Serves DEMO_FEEDS at /feeds/<id>; resolves to the server, its base URL and the FEEDS configuration pointing at it. */
export async function startFeedServer({ intervalSeconds = 60 } = {}) {
  const bodies = new Map(DEMO_FEEDS.map((f) => [`/feeds/${f.id}`, { body: readFileSync(join(ROOT, f.file)), type: f.type }]));
  const server = createServer((req, res) => {
    const doc = bodies.get(req.url ?? '');
    if (!doc || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': doc.type, 'content-length': doc.body.length }).end(doc.body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const feeds = DEMO_FEEDS.map((f) => ({ id: f.id, format: f.format, url: `${base}/feeds/${f.id}`, intervalSeconds }));
  return { server, base, feeds, close: () => new Promise((resolve) => server.close(resolve)) };
}
