// Default imports: the module objects themselves (not a namespace copy), so that jest can spy on their functions.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { capAdapter } from './cap.adapter';
import { parseCapIndex } from './cap-index';
import { gdacsRssAdapter } from './gdacs-rss.adapter';
import { feedContext, readSample } from './testing/feed-fixtures';

const parse = (document: string | Buffer) => capAdapter.parse(document, feedContext());

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE alert [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol9;</identifier></alert>`;

describe('CAP parsing is safe', () => {
  afterEach(() => jest.restoreAllMocks());

  it.each(['google-cap-library/xee.cap', 'google-cap-library/xee.atom'])(
    'refuses %s (external entities, DTD, XInclude) without reading any file or URL',
    (file) => {
      const document = readSample('cap', file);
      const io = [
        jest.spyOn(fs, 'readFileSync'),
        jest.spyOn(fs, 'openSync'),
        jest.spyOn(fs, 'readFile'),
        jest.spyOn(http, 'request'),
        jest.spyOn(http, 'get'),
        jest.spyOn(https, 'request'),
        jest.spyOn(https, 'get'),
        jest.spyOn(net, 'connect'),
        jest.spyOn(net, 'createConnection'),
        jest.spyOn(globalThis, 'fetch'),
      ];
      const result = parse(document);
      const index = parseCapIndex(document, { sourceId: 'test-feed' });
      for (const spy of io) expect(spy).not.toHaveBeenCalled();
      expect(result.items).toEqual([]);
      expect(result.deadLetters).toEqual([expect.objectContaining({ itemRef: null, reason: 'DTD/entities not allowed' })]);
      expect(result.deadLetters[0].excerpt).not.toMatch(/root:x:0/);
      expect(index.deadLetters.map((d) => d.reason)).toEqual(['DTD/entities not allowed']);
    },
  );

  it('refuses a "billion laughs" entity bomb at once', () => {
    const start = Date.now();
    for (const adapter of [capAdapter, gdacsRssAdapter]) {
      const result = adapter.parse(BILLION_LAUGHS, feedContext());
      expect(result.deadLetters.map((d) => d.reason)).toEqual(['DTD/entities not allowed']);
    }
    expect(Date.now() - start).toBeLessThan(1000);
  });

  it('never expands an entity reference even without a DTD', () => {
    const thunderstorm = readSample('cap', 'oasis-spec/oasis-cap12-severe-thunderstorm.xml').toString('utf8');
    const result = parse(thunderstorm.replace('SEVERE THUNDERSTORM WARNING', 'SEVERE &xxe; &amp;lt;WARNING&gt;'));
    expect(result.items[0]).toMatchObject({ event: { title: 'SEVERE &xxe; &lt;WARNING>' } });
  });

  it('refuses a document over 10 MB before parsing it', () => {
    const big = `<alert>${' '.repeat(10 * 1024 * 1024)}</alert>`;
    const start = Date.now();
    const result = parse(big);
    expect(Date.now() - start).toBeLessThan(1000);
    expect(result.deadLetters.map((d) => d.reason)).toEqual([expect.stringMatching(/over the 10485760-byte limit/)]);
  });

  it.each([
    ['truncated XML', readSample('cap', 'oasis-spec/oasis-cap12-severe-thunderstorm.xml').subarray(0, 700), /^malformed XML/],
    ['plain text', 'hello', /not an XML document/],
    ['an HTML page', '<html><body>502 Bad Gateway</body></html>', /root element <html> is not a CAP <alert>/],
    ['an unknown encoding', Buffer.from('<?xml version="1.0" encoding="x-klingon"?><alert/>'), /unsupported character encoding "x-klingon"/],
    ['truncated JSON', '{"identifier": "a", "info": [', /^malformed JSON/],
    ['JSON of another kind', '{"hello": "world"}', /not a CAP alert/],
  ])('turns %s into one dead letter', (_name, document, reason) => {
    const result = parse(typeof document === 'string' ? document : Buffer.from(document));
    expect(result.items).toEqual([]);
    expect(result.deadLetters).toEqual([expect.objectContaining({ itemRef: null, reason: expect.stringMatching(reason) })]);
  });

  it('decodes an encoding label given as a Buffer (UTF-16 with BOM)', () => {
    const thunderstorm = readSample('cap', 'oasis-spec/oasis-cap12-severe-thunderstorm.xml').toString('utf8');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(thunderstorm.replace('UTF-8', 'UTF-16'), 'utf16le')]);
    expect(parse(utf16).items).toHaveLength(1);
  });
});
