import { documentText, excerpt } from './document-text';

describe('documentText', () => {
  it('removes a BOM, a double-encoded BOM and leading whitespace', () => {
    expect(documentText(Buffer.from([0xef, 0xbb, 0xbf, 0x3c, 0x61, 0x2f, 0x3e]))).toBe('<a/>');
    expect(documentText(Buffer.from([0xc3, 0xaf, 0xc2, 0xbb, 0xc2, 0xbf, 0x0d, 0x0a, 0x3c, 0x61, 0x2f, 0x3e]))).toBe('<a/>');
    expect(documentText('\uFEFF  <a/>')).toBe('<a/>');
  });

  it('decodes by the XML declaration when there is no BOM', () => {
    const latin1 = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>'), Buffer.from([0xe9]), Buffer.from('</a>')]);
    expect(documentText(latin1)).toBe('<?xml version="1.0" encoding="ISO-8859-1"?><a>é</a>');
    expect(() => documentText(Buffer.from([0x3c, 0xff, 0x3e]))).toThrow(/not valid utf-8/);
  });

  it('cuts excerpts at 500 characters', () => {
    expect(excerpt('x'.repeat(600))).toHaveLength(500);
    expect(excerpt({ a: 1 })).toBe('{"a":1}');
  });
});
