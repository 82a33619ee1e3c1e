import { Injectable } from '@nestjs/common';
import { Neo4jService, readExposureVersion } from '@tiersight/graph';
import { HeldAnswer, holdAnswer } from './json-answer';

/** Exposures held at most, counted over every remembered answer (a list page weighs its items): tens of MB. */
export const EXPOSURE_CACHE_WEIGHT = 20_000;

/**
 * Answers remembered per version of what they are read from, each serialised
 * once (see json-answer.ts). Each read learns the version (`readVersion`) and
 * answers from memory while it has not moved, so a read never returns an
 * answer older than the last write that committed before it began.
 *
 * Version reads run one at a time: reads that arrive while one is under way
 * share the next one, begun after they arrived, so under load one version read
 * serves many requests, and versions are learnt in the order they were written.
 * Concurrent reads of one key share one load; a failed load is forgotten.
 * Bounded by weight, least recently used first.
 */
export class VersionedAnswerCache {
  private version: string | null = null;
  private weight = 0;
  /** In least-recently-used order (a Map keeps insertion order; a hit moves to the end). */
  private readonly answers = new Map<string, { value: Promise<HeldAnswer<unknown>>; weight: number }>();
  /** The version read under way, and the one the reads arriving meanwhile wait for. */
  private current: Promise<string> | null = null;
  private next: Promise<string> | null = null;

  constructor(
    private readonly readVersion: () => Promise<string>,
    private readonly maxWeight = EXPOSURE_CACHE_WEIGHT,
  ) {}

  /** The answer for `key` at the current version: remembered, or loaded and remembered with its weight. */
  async read<T>(key: string, load: () => Promise<T>, weigh: (value: T) => number): Promise<HeldAnswer<T>> {
    const version = await this.versionNow();
    if (version !== this.version) {
      this.version = version;
      this.answers.clear();
      this.weight = 0;
    }
    const held = this.answers.get(key);
    if (held) {
      this.answers.delete(key);
      this.answers.set(key, held);
      return held.value as Promise<HeldAnswer<T>>;
    }
    let weight = 1;
    const value = load().then((answer) => {
      weight = Math.max(1, weigh(answer));
      return holdAnswer(answer);
    });
    const entry = { value: value as Promise<HeldAnswer<unknown>>, weight: 1 };
    this.answers.set(key, entry);
    this.weight += entry.weight;
    try {
      const answer = await value;
      if (this.answers.get(key) === entry) {
        this.weight += weight - entry.weight;
        entry.weight = weight;
        this.evict();
      }
      return answer;
    } catch (error) {
      if (this.answers.get(key) === entry) {
        this.answers.delete(key);
        this.weight -= entry.weight;
      }
      throw error;
    }
  }

  /** Entries held now. */
  get size(): number {
    return this.answers.size;
  }

  /** The version, from a version read begun after this call: the one under way may predate a write, so the caller waits for the next. */
  private versionNow(): Promise<string> {
    if (!this.current) {
      this.current = this.readVersion().finally(() => {
        this.current = null;
      });
      return this.current;
    }
    this.next ??= this.current
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        // A read may have begun in between (after every waiter arrived): join it.
        return this.current ?? this.versionNow();
      });
    return this.next;
  }

  private evict() {
    for (const [key, entry] of this.answers) {
      if (this.weight <= this.maxWeight || this.answers.size <= 1) break;
      this.answers.delete(key);
      this.weight -= entry.weight;
    }
  }
}

/**
 * The exposure reads' answers (and the RXI list's, which the graph version
 * covers), per exposure stamp (new with every risk run's write), graph version
 * (SKU names and categories, the projection) and database id, all three
 * learnt in one query.
 */
@Injectable()
export class ExposureReadCache extends VersionedAnswerCache {
  constructor(neo4j: Neo4jService) {
    super(async () => {
      const v = await readExposureVersion(neo4j);
      return `${v.exposureStamp ?? '-'}|${v.databaseId}|${v.graphVersion}`;
    });
  }
}
