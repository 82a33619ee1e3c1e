import { NotFoundException } from '@nestjs/common';
import { AccessError, AccessErrorCode } from '@tiersight/access';
import { BacktestErrorCode } from '@tiersight/backtests';
import { GraphError, GraphErrorCode } from '@tiersight/graph';
import { OnboardingErrorCode } from '@tiersight/onboarding';
import { PortalError, PortalErrorCode, SurveyTransitionError } from '@tiersight/portal';
import { TraceabilityError, TraceabilityErrorCode } from '@tiersight/traceability';
import { TwinErrorCode } from '@tiersight/twin-runs';
import { WebhookError, WebhookErrorCode } from '@tiersight/webhooks';
import { DOMAIN_PROBLEMS, domainProblem, isDomainError } from './domain-problems';

const ALL_CODES: string[] = [
  GraphErrorCode,
  PortalErrorCode,
  WebhookErrorCode,
  AccessErrorCode,
  TwinErrorCode,
  TraceabilityErrorCode,
  OnboardingErrorCode,
  BacktestErrorCode,
].flatMap((codes) => Object.values(codes));

describe('domain error codes → problem+json', () => {
  it('holds every code of every domain once, and nothing else', () => {
    expect(new Set(ALL_CODES).size).toBe(ALL_CODES.length);
    expect(Object.keys(DOMAIN_PROBLEMS).sort()).toEqual([...ALL_CODES].sort());
  });

  it.each(ALL_CODES)('%s is a 4xx (or a 503) with a slug and a title', (code) => {
    const kind = DOMAIN_PROBLEMS[code as keyof typeof DOMAIN_PROBLEMS];
    expect(kind.status === 503 || (kind.status >= 400 && kind.status < 500)).toBe(true);
    expect(kind.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(kind.title.trim()).not.toBe('');
  });

  it('gives one slug one status', () => {
    const statusOf = new Map<string, number>();
    for (const kind of Object.values(DOMAIN_PROBLEMS)) {
      expect(statusOf.get(kind.slug) ?? kind.status).toBe(kind.status);
      statusOf.set(kind.slug, kind.status);
    }
  });

  it.each([
    [
      new PortalError(PortalErrorCode.DisclosureRejected, '1 row error(s); nothing was written', {
        errors: [{ entity: 'links', index: 0, field: 'toSiteId', message: 'site does not exist' }],
      }),
      422,
      'disclosure-rejected',
      'Disclosure rejected',
    ],
    [new PortalError(PortalErrorCode.NotFound, 'no such site'), 404, 'not-found', 'Not Found'],
    [new SurveyTransitionError('potential', 'restored'), 409, 'conflict', 'Conflict'],
    [
      new WebhookError(WebhookErrorCode.UrlRefused, 'http://10.0.0.7/hook: 10.0.0.7 is a private address', {
        errors: [{ field: 'url', message: 'http://10.0.0.7/hook: 10.0.0.7 is a private address' }],
      }),
      422,
      'webhook-url-refused',
      'Webhook URL refused',
    ],
    [new WebhookError(WebhookErrorCode.SubscriptionNotFound, 'webhook subscription wh_x does not exist'), 404, 'not-found', 'Not found'],
    [
      new AccessError(AccessErrorCode.InvalidKeyRequest, 'a supplier key needs supplierId', {
        errors: [{ field: 'supplierId', message: 'a supplier key needs supplierId' }],
      }),
      422,
      'invalid-key-request',
      'Invalid key request',
    ],
    [new GraphError(GraphErrorCode.Unavailable, 'the graph database is unavailable, try again'), 503, 'graph-unavailable', 'Graph database unavailable'],
    [
      new TraceabilityError(
        TraceabilityErrorCode.LocationForbidden,
        'a supplier key captures events only at its own sites; not yours: urn:epc:id:sgln:4012345.00011.0',
        {
          errors: [{ eventIndex: 0, pointer: '/epcisBody/eventList/0/readPoint/id', message: 'not the GLN of any of your sites' }],
        },
      ),
      403,
      'epcis-location-forbidden',
      'Location not among your sites',
    ],
    [new TraceabilityError(TraceabilityErrorCode.TooManyEvents, 'the document holds 3 events'), 413, 'epcis-too-many-events', 'Too many events in one capture'],
  ])('answers %p with %i %s', (error, status, slug, title) => {
    expect(isDomainError(error)).toBe(true);
    // The message is the detail and the row errors are passed on as they are.
    expect(isDomainError(error) && domainProblem(error)).toEqual({
      type: `https://tiersight.dev/problems/${slug}`,
      title,
      status,
      detail: error.message,
      errors: error.details?.errors,
    });
  });

  it('leaves other errors to the rest of the filter', () => {
    expect(isDomainError(new NotFoundException('x'))).toBe(false);
    expect(isDomainError(new Error('x'))).toBe(false);
    expect(isDomainError({ code: GraphErrorCode.NotFound, message: 'x' })).toBe(false);
  });
});
