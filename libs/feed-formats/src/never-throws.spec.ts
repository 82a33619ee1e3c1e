import fc from 'fast-check';
import { parseCapIndex } from './cap-index';
import { FEED_ADAPTERS } from './registry';
import { expectWellFormed, feedContext, readSample } from './testing/feed-fixtures';

const SEEDS: Record<string, Buffer> = {
  'usgs-geojson': readSample('usgs', 'usgs-significant_month-2023-10-11.geojson'),
  'gdacs-rss': readSample('gdacs/rss', 'exxamalte-gdacs-1.xml'),
  'gdacs-geojson': readSample('gdacs/api', 'pystac-monty-wf-1028649-ep1-geometry.json'),
  cap: readSample('cap', 'google-cap-library/canada.cap'),
};

describe('adapters never throw', () => {
  it.each(Object.values(FEED_ADAPTERS).map((adapter) => [adapter.format, adapter] as const))('%s on arbitrary input', (format, adapter) => {
    const seed = SEEDS[format];
    const documents = fc.oneof(
      fc.string(),
      fc.jsonValue().map((value) => JSON.stringify(value) ?? ''),
      fc.integer({ min: 0, max: seed.length }).map((end) => seed.subarray(0, end)), // truncated real documents
      fc.tuple(fc.integer({ min: 0, max: seed.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([at, byte]) => {
        const copy = Buffer.from(seed);
        copy[at] = byte; // one corrupted byte
        return copy;
      }),
    );
    fc.assert(
      fc.property(documents, (document) => {
        const result = adapter.parse(document, feedContext());
        expectWellFormed(result);
        parseCapIndex(document, { sourceId: 'test-feed' });
      }),
      { numRuns: 150 },
    );
  });
});
