import { adapterFor, FEED_ADAPTERS, isFeedFormat, UnknownFeedFormatError } from './registry';
import { FEED_FORMATS } from './feed-adapter';

describe('feed adapter registry', () => {
  it('has one adapter per format, each reporting its own format', () => {
    expect(Object.keys(FEED_ADAPTERS).sort()).toEqual([...FEED_FORMATS].sort());
    for (const format of FEED_FORMATS) expect(adapterFor(format).format).toBe(format);
  });

  it('refuses an unknown format loudly (a configuration error, not a feed error)', () => {
    expect(isFeedFormat('rss')).toBe(false);
    expect(isFeedFormat('toString')).toBe(false);
    expect(() => adapterFor('rss')).toThrow(UnknownFeedFormatError);
  });
});
