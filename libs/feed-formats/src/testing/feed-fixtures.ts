import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ENTITY_ID_PATTERN, EVENT_TYPES, type IncomingEvent, MAX_ENTITY_ID_LENGTH } from '@tiersight/contracts';
import { parseEventGeometry } from '@tiersight/geo-engine';
import type { FeedContext, FeedParseResult } from '../feed-adapter';
import { DEFAULT_SEVERITY_POLICY } from '../severity-policy';
import type { SeverityPolicy } from '../severity-policy';

/** The repository's sample documents (copied byte for byte from their public sources; see each folder's SOURCES.md). */
export const FEED_FIXTURES = join(__dirname, '../../../..', 'fixtures', 'feeds');

/** Every sample file under `fixtures/feeds/<folder>`, as paths relative to that folder, SOURCES.md excluded. */
export function sampleFiles(folder: string): string[] {
  const base = join(FEED_FIXTURES, folder);
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
  return walk(base)
    .filter((file) => !/(^|\/)SOURCES\.md$/.test(file))
    .map((file) => relative(base, file))
    .sort();
}

export function readSample(folder: string, file: string): Buffer {
  return readFileSync(join(FEED_FIXTURES, folder, file));
}

export function feedContext(policy: SeverityPolicy = DEFAULT_SEVERITY_POLICY): FeedContext {
  return { sourceId: 'test-feed', receivedAt: new Date('2025-06-01T00:00:00Z'), policy };
}

export function upserts(result: FeedParseResult): IncomingEvent[] {
  return result.items.flatMap((item) => (item.action === 'upsert' ? [item.event] : []));
}

export function closes(result: FeedParseResult): Array<{ eventId: string; reason: string }> {
  return result.items.flatMap((item) => (item.action === 'close' ? [{ eventId: item.eventId, reason: item.reason }] : []));
}

/** What every result must satisfy, whatever the document. */
export function expectWellFormed(result: FeedParseResult): void {
  for (const event of upserts(result)) {
    expect(event.id).toMatch(ENTITY_ID_PATTERN);
    expect(event.id.length).toBeLessThanOrEqual(MAX_ENTITY_ID_LENGTH);
    expect(() => parseEventGeometry(event.geometry, event.geometry.type === 'Point' ? event.geometry.radiusKm : undefined)).not.toThrow();
    expect(event.severity).toBeGreaterThanOrEqual(0);
    expect(event.severity).toBeLessThanOrEqual(1);
    expect(event.expectedDurationDays).toBeGreaterThan(0);
    expect(EVENT_TYPES).toContain(event.type);
    expect(event.title.trim().length).toBeGreaterThan(0);
    expect(new Date(event.startsAt).toISOString()).toBe(event.startsAt);
    if (event.expiresAt !== undefined) expect(new Date(event.expiresAt).toISOString()).toBe(event.expiresAt);
    expect(event.country === null || /^[A-Z]{2}$/.test(event.country)).toBe(true);
    expect(event.source).toBe('test-feed');
  }
  for (const close of closes(result)) expect(close.eventId).toMatch(ENTITY_ID_PATTERN);
  const ids = result.items.map((item) => (item.action === 'upsert' ? item.event.id : item.eventId));
  expect(new Set(ids).size).toBe(ids.length);
  for (const dead of result.deadLetters) {
    expect(dead.sourceId).toBe('test-feed');
    expect(dead.reason.trim().length).toBeGreaterThan(0);
    expect(dead.excerpt.length).toBeLessThanOrEqual(500);
  }
}

/** How a sample file is expected to come out. */
export type SampleExpectation =
  | { kind: 'events'; upserts?: number; closes?: number; deadLetters?: RegExp }
  | { kind: 'rejected'; reason: RegExp }
  | { kind: 'skipped'; reason: RegExp }
  | { kind: 'empty' };

/** Checks one sample's result against its expectation (plus `expectWellFormed`). */
export function expectSample(result: FeedParseResult, expected: SampleExpectation): void {
  expectWellFormed(result);
  const reasons = result.deadLetters.map((d) => d.reason);
  switch (expected.kind) {
    case 'events':
      expect(result.items.length).toBeGreaterThanOrEqual(1);
      if (expected.upserts !== undefined) expect(upserts(result)).toHaveLength(expected.upserts);
      if (expected.closes !== undefined) expect(closes(result)).toHaveLength(expected.closes);
      if (expected.deadLetters) {
        expect(reasons.length).toBeGreaterThan(0);
        for (const reason of reasons) expect(reason).toMatch(expected.deadLetters);
      } else expect(reasons).toEqual([]);
      break;
    case 'rejected':
      expect(result.items).toEqual([]);
      expect(reasons.length).toBeGreaterThan(0);
      for (const reason of reasons) expect(reason).toMatch(expected.reason);
      break;
    case 'skipped':
      expect(result.items).toEqual([]);
      expect(reasons).toEqual([]);
      expect(result.skipped?.map((s) => s.reason)).toEqual([expect.stringMatching(expected.reason)]);
      break;
    case 'empty':
      expect(result.items).toEqual([]);
      expect(reasons).toEqual([]);
      break;
  }
}
