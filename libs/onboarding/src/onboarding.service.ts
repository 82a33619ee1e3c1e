import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { APP_CONFIG, type BaseEnv } from '@tiersight/config';
import { QueueProducer } from '@tiersight/queues';
import { parseMapping } from './columns';
import { planConfirm, type ConfirmPlan, type PairDecision, type RowDecision } from './confirm-plan';
import { OnboardingListStore, type Confirmation, type ListRecord } from './onboarding-list.store';
import { OnboardingError, OnboardingErrorCode, type OnboardingProblem } from './onboarding.error';
import { readList } from './read-list';
import type { ReviewPair, ReviewRow } from './review';

/** Tries of a review job before it is failed for good (a worker that dies mid-list is another try). */
export const ONBOARDING_JOB_ATTEMPTS = 3;

/**
 * Rows of a supplier's list of its own sites (portal), whatever ONBOARDING_MAX_ROWS allows: the
 * portal writes them site by site in one transaction, and no supplier runs more facilities.
 */
export const SUPPLIER_LIST_MAX_ROWS = 2000;

export type OnboardingConfig = Pick<BaseEnv, 'ONBOARDING_MAX_BYTES' | 'ONBOARDING_MAX_ROWS'>;

/** An uploaded file as the service takes it. */
export interface UploadedList {
  bytes: Uint8Array;
  name: string | null;
}

/** Decisions as a request gives them. */
export interface DecisionsInput {
  rows?: Array<{ row: number } & RowDecision>;
  pairs?: Array<{ id: string; action: PairDecision }>;
}

/** A page of review rows, each with its decision and its duplicate proposals (with theirs). */
export interface RowPage {
  items: Array<ReviewRow & { decision: RowDecision | null; duplicates: Array<ReviewPair & { decision: PairDecision | null }> }>;
  nextCursor: string | null;
}

/** Who a list belongs to: null for the buyer's lists (analyst routes), else the supplier id of a portal caller. */
export type ListOwner = string | null;

/** A confirm ready to write: the plan, and the list it was made from. */
export interface PreparedConfirm {
  list: ListRecord;
  plan: ConfirmPlan;
}

/**
 * Supplier lists from upload to confirm: read the file (refusing what cannot
 * be read, 4xx), store it and queue its review (`onboarding.review`), page
 * the review, take decisions, and plan the confirm. Writing the plan is the
 * caller's: it goes through the normal import.
 */
@Injectable()
export class OnboardingService {
  constructor(
    private readonly store: OnboardingListStore,
    private readonly producer: QueueProducer,
    @Inject(APP_CONFIG) private readonly config: OnboardingConfig,
  ) {}

  /**
   * With an `owner` the list is that supplier's own sites: only that supplier reads and decides it,
   * its rows are compared with that supplier's sites alone, a facility column wins the name over a
   * supplier column, and it may hold at most SUPPLIER_LIST_MAX_ROWS rows.
   */
  async submit(file: UploadedList, mappingJson: string | undefined, context: { requestId?: string; owner?: string } = {}): Promise<ListRecord> {
    const { requestId, owner } = context;
    if (file.bytes.length > this.config.ONBOARDING_MAX_BYTES) {
      throw new OnboardingError(
        OnboardingErrorCode.FileTooLarge,
        `the file has ${file.bytes.length} bytes; at most ${this.config.ONBOARDING_MAX_BYTES} are accepted`,
      );
    }
    const mapping = parseMapping(mappingJson);
    const list = await readList(file.bytes, {
      fileName: file.name ?? undefined,
      mapping,
      maxRows: owner === undefined ? this.config.ONBOARDING_MAX_ROWS : Math.min(this.config.ONBOARDING_MAX_ROWS, SUPPLIER_LIST_MAX_ROWS),
      facilityNameFirst: owner !== undefined,
    });
    if (list.rows.length === 0) throw new OnboardingError(OnboardingErrorCode.UnreadableFile, 'the file has a header but no rows');
    const id = `list_${randomBytes(9).toString('base64url')}`;
    await this.store.create(
      id,
      {
        name: file.name,
        bytes: file.bytes.length,
        format: list.format,
        encoding: list.encoding,
        delimiter: list.delimiter,
        sheet: list.sheet,
        columns: list.mapping.headers,
        unmappedColumns: list.mapping.unmapped,
      },
      list.rows,
      owner ?? null,
    );
    const queued = (await this.store.read(id))!; // read before a worker can take it: the answer says `queued`
    await this.producer.enqueue(
      'onboarding.review',
      { v: 1, listId: id, requestId },
      { jobId: id, attempts: ONBOARDING_JOB_ATTEMPTS, backoff: { type: 'exponential', delay: 2000 } },
    );
    return queued;
  }

  /** The list, when `owner` owns it: another owner's list reads exactly as one that does not exist. */
  async get(id: string, owner: ListOwner = null): Promise<ListRecord> {
    const list = await this.store.read(id);
    if (!list || list.owner !== owner) throw new OnboardingError(OnboardingErrorCode.ListNotFound, `onboarding list ${id} does not exist (or has expired)`);
    return list;
  }

  /** Review rows in file order from the cursor (a position the previous page gave). */
  async rowPage(id: string, query: { limit: number; cursor?: string }): Promise<RowPage> {
    const from = decodePosition(query.cursor);
    const order = await this.store.order(id, from, from + query.limit + 1);
    const rows = (await this.store.rows(id, order.slice(0, query.limit))).filter((r): r is ReviewRow => r !== null);
    const [pairs, decisions] = await Promise.all([this.store.pairs(id), this.store.decisions(id)]);
    const pairById = new Map(pairs.map((p) => [p.id, p]));
    return {
      items: rows.map((r) => ({
        ...r,
        decision: decisions.rows.get(r.row) ?? null,
        duplicates: r.pairs.map((pid) => ({ ...pairById.get(pid)!, decision: decisions.pairs.get(pid) ?? null })),
      })),
      nextCursor: order.length > query.limit ? encodePosition(from + query.limit) : null,
    };
  }

  /** Stores decisions (a later one on the same row or pair replaces it); refuses unknown rows and pairs, and lists no longer open. */
  async decide(id: string, input: DecisionsInput, owner: ListOwner = null): Promise<{ rows: number; pairs: number }> {
    const list = await this.get(id, owner);
    if (list.status !== 'ready') throw notOpen(list);
    const [order, pairs] = await Promise.all([this.store.order(id, 0, Number.MAX_SAFE_INTEGER), this.store.pairs(id)]);
    const known = new Set(order);
    const knownPairs = new Set(pairs.map((p) => p.id));
    const problems: OnboardingProblem[] = [];
    const rowDecisions = new Map<number, RowDecision>();
    for (const { row, ...decision } of input.rows ?? []) {
      if (!known.has(row)) problems.push({ row, field: 'rows', message: `row ${row} is not a row of this list` });
      else rowDecisions.set(row, decision);
    }
    const pairDecisions = new Map<string, PairDecision>();
    for (const { id: pair, action } of input.pairs ?? []) {
      if (!knownPairs.has(pair)) problems.push({ pair, field: 'pairs', message: `${pair} is not a duplicate proposal of this list` });
      else pairDecisions.set(pair, action);
    }
    if (problems.length > 0) throw new OnboardingError(OnboardingErrorCode.InvalidDecision, problems.map((p) => p.message).join('; '), { errors: problems });
    await this.store.decide(id, rowDecisions, pairDecisions);
    const all = await this.store.decisions(id);
    return { rows: all.rows.size, pairs: all.pairs.size };
  }

  /**
   * Takes the list for a confirm and plans it; refuses a list not ready, one
   * another confirm holds, and a review with decisions missing (nothing is
   * written then). The caller writes the plan, then calls `confirmed` or `release`.
   */
  async prepareConfirm(id: string, owner: ListOwner = null): Promise<PreparedConfirm> {
    const list = await this.get(id, owner);
    if (list.status !== 'ready') throw notOpen(list);
    if (!(await this.store.lockConfirm(id)))
      throw new OnboardingError(OnboardingErrorCode.NotReady, `onboarding list ${id} is being confirmed by another request`);
    try {
      const [rows, pairs, decisions] = await Promise.all([this.store.allRows(id), this.store.pairs(id), this.store.decisions(id)]);
      const plan = planConfirm(rows, pairs, decisions.rows, decisions.pairs, { supplierId: list.owner ?? undefined });
      if (plan.problems.length > 0) {
        throw new OnboardingError(OnboardingErrorCode.ReviewIncomplete, `${plan.problems.length} decision(s) missing; nothing was written`, {
          errors: plan.problems,
        });
      }
      return { list, plan };
    } catch (error) {
      await this.store.unlockConfirm(id);
      throw error;
    }
  }

  async confirmed(id: string, plan: ConfirmPlan, graphVersion: number): Promise<Confirmation> {
    const count = (action: string) => plan.outcomes.filter((o) => o.action === action).length;
    const confirmation: Confirmation = {
      confirmedAt: new Date().toISOString(),
      graphVersion,
      suppliers: plan.payload.suppliers.length,
      sites: plan.payload.sites.length,
      merged: count('merge'),
      rejected: count('reject'),
      rejectedPairs: plan.rejections.length,
    };
    await this.store.confirmed(id, confirmation);
    await this.store.unlockConfirm(id);
    return confirmation;
  }

  release(id: string): Promise<void> {
    return this.store.unlockConfirm(id);
  }
}

function notOpen(list: ListRecord): OnboardingError {
  const why = list.status === 'confirmed' ? 'has been confirmed already' : list.status === 'failed' ? `failed: ${list.error}` : 'is still being reviewed';
  return new OnboardingError(OnboardingErrorCode.NotReady, `onboarding list ${list.id} ${why}`);
}

const encodePosition = (position: number) => Buffer.from(`p${position}`, 'utf8').toString('base64url');

function decodePosition(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  const text = /^[A-Za-z0-9_-]{1,40}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^p(\d{1,9})$/.exec(text);
  if (!match) throw new OnboardingError(OnboardingErrorCode.InvalidCursor, 'cursor is not one this API issued');
  return Number(match[1]);
}
