import { answerErrors, applyAnswer, effectiveImpact, parseSurveyId, SurveyPosition, surveyId, SurveyTransitionError } from './survey-state';

const potential: SurveyPosition = { state: 'potential', capacityLoss: null, recoveryDays: null };
const confirmed: SurveyPosition = { state: 'confirmed', capacityLoss: 0.3, recoveryDays: 20 };
const noImpact: SurveyPosition = { state: 'no-impact', capacityLoss: null, recoveryDays: null };
const restored: SurveyPosition = { state: 'restored', capacityLoss: null, recoveryDays: null };

describe('survey transitions', () => {
  it.each([
    [potential, 'confirmed', true],
    [potential, 'no-impact', true],
    [potential, 'restored', false],
    [confirmed, 'confirmed', true],
    [confirmed, 'no-impact', true],
    [confirmed, 'restored', true],
    [noImpact, 'confirmed', true],
    [noImpact, 'no-impact', true],
    [noImpact, 'restored', false],
    [restored, 'confirmed', true],
    [restored, 'restored', true],
    [restored, 'no-impact', false],
  ] as const)('%o answered %s allowed: %s', (from, status, allowed) => {
    const answer = status === 'confirmed' ? { status, capacityLoss: 0.5, recoveryDays: 7 } : { status };
    if (allowed) expect(applyAnswer(from, answer).next.state).toBe(status);
    else expect(() => applyAnswer(from, answer)).toThrow(SurveyTransitionError);
  });

  it('keeps the figures only while confirmed, and says when nothing changed', () => {
    expect(applyAnswer(potential, { status: 'confirmed', capacityLoss: 0.3, recoveryDays: 20 })).toEqual({ next: confirmed, changed: true });
    expect(applyAnswer(confirmed, { status: 'confirmed', capacityLoss: 0.3, recoveryDays: 20 })).toEqual({ next: confirmed, changed: false });
    expect(applyAnswer(confirmed, { status: 'confirmed', capacityLoss: 0.4, recoveryDays: 20 }).changed).toBe(true);
    expect(applyAnswer(confirmed, { status: 'restored' })).toEqual({ next: restored, changed: true });
    expect(applyAnswer(noImpact, { status: 'no-impact' }).changed).toBe(false);
  });

  it('says why restoring an unconfirmed survey is refused', () => {
    expect(() => applyAnswer(potential, { status: 'restored' })).toThrow('only a confirmed impact can be restored (the survey is potential)');
  });
});

describe('survey answers', () => {
  it('need figures in range with confirmed, and none otherwise', () => {
    expect(answerErrors({ status: 'confirmed', capacityLoss: 0.3, recoveryDays: 20 })).toEqual([]);
    expect(answerErrors({ status: 'confirmed', capacityLoss: 1, recoveryDays: 0.5 })).toEqual([]);
    expect(answerErrors({ status: 'confirmed' }).map((e) => e.field)).toEqual(['capacityLoss', 'recoveryDays']);
    expect(answerErrors({ status: 'confirmed', capacityLoss: 0, recoveryDays: 5 }).map((e) => e.field)).toEqual(['capacityLoss']);
    expect(answerErrors({ status: 'confirmed', capacityLoss: 1.2, recoveryDays: -1 }).map((e) => e.field)).toEqual(['capacityLoss', 'recoveryDays']);
    expect(answerErrors({ status: 'confirmed', capacityLoss: '0.3', recoveryDays: NaN }).map((e) => e.field)).toEqual(['capacityLoss', 'recoveryDays']);
    expect(answerErrors({ status: 'no-impact' })).toEqual([]);
    expect(answerErrors({ status: 'no-impact', capacityLoss: 0.2 }).map((e) => e.field)).toEqual(['capacityLoss']);
    expect(answerErrors({ status: 'potential' }).map((e) => e.field)).toEqual(['status']);
    expect(answerErrors({}).map((e) => e.field)).toEqual(['status']);
  });
});

describe('effective impact (DESIGN §3.1: the answer replaces the estimate)', () => {
  const estimate = { x: 0.8, days: 10 };
  it('is the estimate while potential, the answer once confirmed, nothing after no-impact or restored', () => {
    expect(effectiveImpact(potential, estimate)).toEqual(estimate);
    expect(effectiveImpact(confirmed, estimate)).toEqual({ x: 0.3, days: 20 });
    expect(effectiveImpact(noImpact, estimate)).toEqual({ x: 0, days: 0 });
    expect(effectiveImpact(restored, estimate)).toEqual({ x: 0, days: 0 });
  });
});

describe('survey ids', () => {
  it('round-trip (event, site) and refuse anything else', () => {
    const id = surveyId('EV-1', 'SITE/9');
    expect(id).toMatch(/^sv_[A-Za-z0-9_-]+$/);
    expect(parseSurveyId(id)).toEqual({ eventId: 'EV-1', siteId: 'SITE/9' });
    expect(parseSurveyId('sv_' + Buffer.from('EV-1').toString('base64url'))).toBeNull();
    expect(parseSurveyId('sv_' + Buffer.from('a\nb\nc').toString('base64url'))).toBeNull();
    expect(parseSurveyId('no-such-id-x')).toBeNull();
    expect(parseSurveyId(id + '=')).toBeNull();
  });
});
