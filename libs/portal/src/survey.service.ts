import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AuditActor, AuditLog } from '@tiersight/audit';
import { InvalidCursorError, Page } from '@tiersight/graph';
import { LOGGER } from '@tiersight/observability';
import { QueueProducer } from '@tiersight/queues';
import { PortalError, PortalErrorCode } from './portal.error';
import { SurveyRepository, SurveyRow } from './survey.repository';
import { answerErrors, applyAnswer, effectiveImpact, parseSurveyId, SurveyAnswer, SurveyState, surveyId } from './survey-state';

/** A survey as the supplier it is addressed to sees it. */
export interface SupplierSurvey {
  id: string;
  state: SurveyState;
  event: SurveyRow['event'];
  site: { id: string; name: string };
  /** The platform's estimate for the site (event severity and duration). */
  estimate: { x: number; days: number };
  answer: { capacityLoss: number; recoveryDays: number } | null;
  /** What the risk engine uses for this site and event. */
  impact: { x: number; days: number };
  askedAt: string;
  answeredAt: string | null;
}

/** A survey as analysts see it: who has been asked, since when. */
export interface AnalystSurvey extends SupplierSurvey {
  supplier: { id: string; name: string };
  ageDays: number;
}

/** Unanswered surveys: the ones to chase. */
export const OPEN_STATES: SurveyState[] = ['potential'];

@Injectable()
export class SurveyService {
  constructor(
    private readonly surveys: SurveyRepository,
    private readonly audit: AuditLog,
    private readonly producer: QueueProducer,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async forSupplier(supplierId: string, states: SurveyState[] | null, limit: number, cursor?: string): Promise<Page<SupplierSurvey>> {
    const skip = decodeOffset(cursor);
    const rows = await this.surveys.ofSupplier(supplierId, states, skip, limit + 1);
    return offsetPage(rows.map(toSupplierSurvey), skip, limit);
  }

  async one(supplierId: string, id: string): Promise<SupplierSurvey> {
    const key = parseSurveyId(id);
    const row = key ? await this.surveys.one(supplierId, key.eventId, key.siteId) : null;
    if (!row) throw noSuchSurvey();
    return toSupplierSurvey(row);
  }

  async forAnalysts(
    filter: { states: SurveyState[] | null; eventId?: string; supplierId?: string },
    limit: number,
    cursor?: string,
  ): Promise<Page<AnalystSurvey>> {
    const skip = decodeOffset(cursor);
    const rows = await this.surveys.all(filter, skip, limit + 1);
    const now = Date.now();
    return offsetPage(
      rows.map((r) => ({
        ...toSupplierSurvey(r),
        supplier: { id: r.supplierId, name: r.supplierName },
        ageDays: Math.max(0, Math.round(((now - Date.parse(r.askedAt)) / 86_400_000) * 1000) / 1000),
      })),
      skip,
      limit,
    );
  }

  /**
   * Records the supplier's answer in place of the estimate, audits it and asks
   * for a propagation. A survey of another supplier's site reads as absent.
   */
  async answer(
    actor: AuditActor & { supplierId: string | null },
    id: string,
    input: { status?: unknown; capacityLoss?: unknown; recoveryDays?: unknown },
  ): Promise<SupplierSurvey> {
    const key = parseSurveyId(id);
    if (!key || !actor.supplierId) throw noSuchSurvey();
    const supplierId = actor.supplierId;
    const errors = answerErrors(input);
    if (errors.length) throw new PortalError(PortalErrorCode.InvalidSurveyAnswer, errors.map((e) => e.message).join('; '), { errors });
    const answer = input as SurveyAnswer;
    const changed = await this.surveys.write(async (tx) => {
      if (!(await this.surveys.one(supplierId, key.eventId, key.siteId, tx))) throw noSuchSurvey();
      const from = await this.surveys.lock(tx, supplierId, key.eventId, key.siteId);
      const result = applyAnswer(from, answer); // SurveyTransitionError: a PortalError (AnswerNotAllowed)
      if (!result.changed) return false;
      await this.surveys.save(tx, key.eventId, key.siteId, result.next, actor.keyId);
      await this.audit.append(tx, actor, {
        action: 'survey.answer',
        target: id,
        change: { eventId: key.eventId, siteId: key.siteId, from, to: result.next },
      });
      return true;
    });
    if (changed) {
      try {
        await this.producer.requestPropagation({ cause: 'survey', eventId: key.eventId });
      } catch (error) {
        // The answer is stored; the next propagation for any cause takes it into account.
        this.logger.error({ err: error, eventId: key.eventId }, 'could not request a propagation after a survey answer');
      }
    }
    return this.one(supplierId, id);
  }
}

/** A survey of another supplier's site reads exactly like one that does not exist. */
function noSuchSurvey(): PortalError {
  return new PortalError(PortalErrorCode.NotFound, 'no such survey');
}

function toSupplierSurvey(r: SurveyRow): SupplierSurvey {
  const estimate = { x: r.estimateX, days: r.estimateDays };
  const position = { state: r.state, capacityLoss: r.capacityLoss, recoveryDays: r.recoveryDays };
  return {
    id: surveyId(r.eventId, r.siteId),
    state: r.state,
    event: r.event,
    site: { id: r.siteId, name: r.siteName },
    estimate,
    answer: r.state === 'confirmed' ? { capacityLoss: r.capacityLoss ?? 0, recoveryDays: r.recoveryDays ?? 0 } : null,
    impact: effectiveImpact(position, estimate),
    askedAt: r.askedAt,
    answeredAt: r.answeredAt,
  };
}

function decodeOffset(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  if (!/^o[1-9]\d{0,8}$/.test(cursor)) throw new InvalidCursorError();
  return Number(cursor.slice(1));
}

function offsetPage<T>(rows: T[], skip: number, limit: number): Page<T> {
  return { items: rows.slice(0, limit), nextCursor: rows.length > limit ? `o${skip + limit}` : null };
}
