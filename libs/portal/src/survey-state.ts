import { MAX_DAYS, type FieldError } from '@tiersight/contracts';
import { PortalError, PortalErrorCode } from './portal.error';

/**
 * "Are you impacted?" surveys: one per (event, site) whose geo match hit a
 * supplier's site. States:
 *
 *   potential ──confirmed──► confirmed ──restored──► restored
 *       │                     ▲    │                   │
 *       └──no-impact──► no-impact ◄┘                   │
 *                             └────────confirmed◄──────┘
 *
 * `potential` means unanswered: the platform's estimate (event severity and
 * duration) stands. Every answer replaces the estimate for that site and event
 * (DESIGN §3.1): `confirmed` by (capacityLoss, recoveryDays), `no-impact` and
 * `restored` by (0, 0). An update of the event makes every survey of it
 * `potential` again (the supplier is asked anew).
 */
export const SURVEY_STATES = ['potential', 'confirmed', 'no-impact', 'restored'] as const;
export type SurveyState = (typeof SURVEY_STATES)[number];

/** What a supplier can answer (a survey never goes back to potential by an answer). */
export const SURVEY_ANSWERS = ['confirmed', 'no-impact', 'restored'] as const;
export type SurveyAnswerStatus = (typeof SURVEY_ANSWERS)[number];

export type SurveyAnswer = { status: 'confirmed'; capacityLoss: number; recoveryDays: number } | { status: 'no-impact' } | { status: 'restored' };

/** The state a survey is in, with the answer's figures when confirmed. */
export interface SurveyPosition {
  state: SurveyState;
  capacityLoss: number | null;
  recoveryDays: number | null;
}

const ALLOWED: Record<SurveyState, readonly SurveyAnswerStatus[]> = {
  potential: ['confirmed', 'no-impact'],
  confirmed: ['confirmed', 'no-impact', 'restored'],
  'no-impact': ['confirmed', 'no-impact'],
  restored: ['confirmed', 'restored'],
};

/** An answer the survey's state does not allow (a portal error: the API answers it as a conflict). */
export class SurveyTransitionError extends PortalError {
  constructor(
    readonly from: SurveyState,
    readonly to: SurveyAnswerStatus,
  ) {
    super(
      PortalErrorCode.AnswerNotAllowed,
      to === 'restored' ? `only a confirmed impact can be restored (the survey is ${from})` : `a ${from} survey cannot be answered ${to}`,
    );
  }
}

/** Checks the figures of an answer; returns a message per bad field. */
export function answerErrors(input: { status?: unknown; capacityLoss?: unknown; recoveryDays?: unknown }): FieldError[] {
  const errors: FieldError[] = [];
  if (!(SURVEY_ANSWERS as readonly unknown[]).includes(input.status)) {
    errors.push({ field: 'status', message: `must be one of ${SURVEY_ANSWERS.join(', ')}` });
    return errors;
  }
  if (input.status === 'confirmed') {
    const c = input.capacityLoss;
    const r = input.recoveryDays;
    if (typeof c !== 'number' || !Number.isFinite(c) || c <= 0 || c > 1)
      errors.push({ field: 'capacityLoss', message: 'must be a number greater than 0 and at most 1' });
    if (typeof r !== 'number' || !Number.isFinite(r) || r <= 0 || r > MAX_DAYS)
      errors.push({ field: 'recoveryDays', message: `must be a number greater than 0 and at most ${MAX_DAYS}` });
  } else {
    if (input.capacityLoss !== undefined) errors.push({ field: 'capacityLoss', message: `is only given with status confirmed` });
    if (input.recoveryDays !== undefined) errors.push({ field: 'recoveryDays', message: `is only given with status confirmed` });
  }
  return errors;
}

/**
 * The survey's next position after an answer, and whether anything changed
 * (an identical answer again changes nothing and starts no propagation).
 * Throws SurveyTransitionError when the answer is not allowed from `from`.
 */
export function applyAnswer(from: SurveyPosition, answer: SurveyAnswer): { next: SurveyPosition; changed: boolean } {
  if (!ALLOWED[from.state].includes(answer.status)) throw new SurveyTransitionError(from.state, answer.status);
  const next: SurveyPosition =
    answer.status === 'confirmed'
      ? { state: 'confirmed', capacityLoss: answer.capacityLoss, recoveryDays: answer.recoveryDays }
      : { state: answer.status, capacityLoss: null, recoveryDays: null };
  const changed = next.state !== from.state || next.capacityLoss !== from.capacityLoss || next.recoveryDays !== from.recoveryDays;
  return { next, changed };
}

/**
 * The direct impact the risk engine takes for the (event, site): the estimate
 * while potential, the answer otherwise. Mirrors the Cypher of
 * EventRepository.activeImpacts, which applies it in the database.
 */
export function effectiveImpact(position: SurveyPosition, estimate: { x: number; days: number }): { x: number; days: number } {
  switch (position.state) {
    case 'potential':
      return estimate;
    case 'confirmed':
      return { x: position.capacityLoss ?? 0, days: position.recoveryDays ?? 0 };
    default:
      return { x: 0, days: 0 };
  }
}

/** Survey ids name the (event, site) pair; opaque to clients and never guessable into another supplier's data (the site must be the caller's). */
export function surveyId(eventId: string, siteId: string): string {
  return `sv_${Buffer.from(`${eventId}\n${siteId}`, 'utf8').toString('base64url')}`;
}

export function parseSurveyId(id: string): { eventId: string; siteId: string } | null {
  if (!/^sv_[A-Za-z0-9_-]{4,400}$/.test(id)) return null;
  const text = Buffer.from(id.slice(3), 'base64url').toString('utf8');
  const parts = text.split('\n');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  return surveyId(parts[0], parts[1]) === id ? { eventId: parts[0], siteId: parts[1] } : null;
}
