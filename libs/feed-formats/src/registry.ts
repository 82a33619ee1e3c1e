import { capAdapter } from './cap.adapter';
import type { FeedAdapter, FeedFormat } from './feed-adapter';
import { gdacsGeoJsonAdapter } from './gdacs-geojson.adapter';
import { gdacsRssAdapter } from './gdacs-rss.adapter';
import { usgsGeoJsonAdapter } from './usgs.adapter';

/** Every adapter, by the format it reads. */
export const FEED_ADAPTERS: Readonly<Record<FeedFormat, FeedAdapter>> = Object.freeze({
  'usgs-geojson': usgsGeoJsonAdapter,
  'gdacs-rss': gdacsRssAdapter,
  'gdacs-geojson': gdacsGeoJsonAdapter,
  cap: capAdapter,
});

export class UnknownFeedFormatError extends Error {
  constructor(readonly format: string) {
    super(`unknown feed format "${format}"; known: ${Object.keys(FEED_ADAPTERS).join(', ')}`);
  }
}

export function isFeedFormat(format: string): format is FeedFormat {
  return Object.prototype.hasOwnProperty.call(FEED_ADAPTERS, format);
}

/** The adapter for a configured format; an unknown format is a configuration error and throws. */
export function adapterFor(format: string): FeedAdapter {
  if (!isFeedFormat(format)) throw new UnknownFeedFormatError(format);
  return FEED_ADAPTERS[format];
}
