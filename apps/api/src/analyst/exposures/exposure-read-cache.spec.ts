import { createHash } from 'node:crypto';
import { VersionedAnswerCache } from './exposure-read-cache';
import { holdAnswer, serializeUnlessNamed } from './json-answer';

/** A version source the test moves by hand. */
function versions(initial = 'v1') {
  let version = initial;
  return {
    read: jest.fn(async () => version),
    set: (v: string) => (version = v),
  };
}

const textOf = async (held: Promise<{ json: { text: string } | null }>) => (await held).json?.text;

describe('VersionedAnswerCache', () => {
  it('loads a key once per version and serialises the answer once', async () => {
    const v = versions();
    const cache = new VersionedAnswerCache(v.read);
    const load = jest.fn(async () => ({ items: [{ skuId: 'SKU-1', x: 0.5 }] }));
    const first = await cache.read('k', load, () => 1);
    const second = await cache.read('k', load, () => 1);
    expect(load).toHaveBeenCalledTimes(1);
    expect(second).toBe(first);
    expect(first.json?.text).toBe('{"items":[{"skuId":"SKU-1","x":0.5}]}');
    v.set('v2');
    await cache.read('k', load, () => 1);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('shares one load among concurrent reads of a key', async () => {
    const cache = new VersionedAnswerCache(versions().read);
    const load = jest.fn(async () => 'answer');
    const answers = await Promise.all([1, 2, 3].map(() => textOf(cache.read('k', load, () => 1))));
    expect(answers).toEqual(['"answer"', '"answer"', '"answer"']);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('forgets a failed load: the next read loads again', async () => {
    const cache = new VersionedAnswerCache(versions().read);
    await expect(
      cache.read(
        'k',
        () => Promise.reject(new Error('down')),
        () => 1,
      ),
    ).rejects.toThrow('down');
    expect(cache.size).toBe(0);
    const load = jest.fn(async () => 'up');
    expect(await textOf(cache.read('k', load, () => 1))).toBe('"up"');
    expect(await textOf(cache.read('k', load, () => 1))).toBe('"up"');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('evicts the least recently used answers beyond its weight, keeping the newest however heavy', async () => {
    const cache = new VersionedAnswerCache(versions().read, 10);
    const loads = { a: 0, b: 0, c: 0, huge: 0 };
    const read = (key: keyof typeof loads, weight: number) =>
      cache.read(
        key,
        async () => ++loads[key],
        () => weight,
      );
    await read('a', 5);
    await read('b', 5);
    await read('a', 5); // a is now the most recently used
    await read('c', 5); // over the weight: b, the least recently used, goes
    await read('a', 5);
    await read('b', 5);
    expect(loads).toEqual({ a: 1, b: 2, c: 1, huge: 0 });
    await read('huge', 50);
    expect(cache.size).toBe(1);
    await read('huge', 50);
    expect(loads.huge).toBe(1);
  });

  it('drops every answer of an older version', async () => {
    const v = versions();
    const cache = new VersionedAnswerCache(v.read);
    await cache.read(
      'a',
      async () => 1,
      () => 1,
    );
    await cache.read(
      'b',
      async () => 2,
      () => 1,
    );
    expect(cache.size).toBe(2);
    v.set('v2');
    await cache.read(
      'a',
      async () => 3,
      () => 1,
    );
    expect(cache.size).toBe(1);
  });

  it('fails a read whose version read fails, and reads the version afresh for the next one', async () => {
    const v = versions();
    v.read.mockRejectedValueOnce(new Error('neo4j away'));
    const cache = new VersionedAnswerCache(v.read);
    await expect(
      cache.read(
        'k',
        async () => 1,
        () => 1,
      ),
    ).rejects.toThrow('neo4j away');
    expect(
      await textOf(
        cache.read(
          'k',
          async () => 2,
          () => 1,
        ),
      ),
    ).toBe('2');
  });
});

describe('serializeUnlessNamed', () => {
  it('gives the JSON text and a strong ETag of it, the same for equal answers and another for a different one', () => {
    const a = serializeUnlessNamed({ skuId: 'SKU-1', name: 'Speaker', x: 0.25 })!;
    expect(a.text).toBe('{"skuId":"SKU-1","name":"Speaker","x":0.25}');
    expect(a.etag).toBe(`"${createHash('sha1').update(a.text).digest('base64url')}"`);
    expect(serializeUnlessNamed({ skuId: 'SKU-1', name: 'Speaker', x: 0.25 })!.etag).toBe(a.etag);
    expect(serializeUnlessNamed({ skuId: 'SKU-1', name: 'Speaker', x: 0.5 })!.etag).not.toBe(a.etag);
  });

  it('leaves an answer naming a supplier or a site as an object, for the masking interceptor', () => {
    const named = { items: [{ siteId: 'S1', siteName: 'Plant' }] };
    expect(serializeUnlessNamed(named)).toBeNull();
    expect(serializeUnlessNamed({ supplier: { id: 'SUP-1', name: 'Acme' } })).toBeNull();
    expect(holdAnswer(named)).toEqual({ json: null, value: named });
  });
});
