import { AccessError, AccessErrorCode } from '@tiersight/access';
import { BacktestError, BacktestErrorCode } from '@tiersight/backtests';
import { GraphError, GraphErrorCode } from '@tiersight/graph';
import { OnboardingError, OnboardingErrorCode } from '@tiersight/onboarding';
import { PortalError, PortalErrorCode } from '@tiersight/portal';
import { TwinError, TwinErrorCode } from '@tiersight/twin-runs';
import { TraceabilityError, TraceabilityErrorCode } from '@tiersight/traceability';
import { WebhookError, WebhookErrorCode } from '@tiersight/webhooks';
import { Problem, problemType } from './problem';

/** How one kind of domain error is answered. */
export interface ProblemKind {
  status: number;
  slug: string;
  title: string;
}

/** Every coded error class the libraries throw. A new one is added here and its codes to the table below. */
export const DOMAIN_ERRORS = [GraphError, PortalError, WebhookError, AccessError, TwinError, TraceabilityError, OnboardingError, BacktestError] as const;
export type DomainError = InstanceType<(typeof DOMAIN_ERRORS)[number]>;
export type DomainErrorCode = DomainError['code'];

const NOT_FOUND: ProblemKind = { status: 404, slug: 'not-found', title: 'Not found' };
const CONFLICT: ProblemKind = { status: 409, slug: 'conflict', title: 'Conflict' };
// The portal's 404s have always carried this title (the portal once threw Nest's NotFoundException).
const PORTAL_NOT_FOUND: ProblemKind = { status: 404, slug: 'not-found', title: 'Not Found' };

/**
 * Domain error codes to HTTP, in one exhaustive table: a code without an
 * entry (or an entry without a code) does not compile.
 */
export const DOMAIN_PROBLEMS: Record<DomainErrorCode, ProblemKind> = {
  [GraphErrorCode.NotFound]: NOT_FOUND,
  [GraphErrorCode.Conflict]: CONFLICT,
  [GraphErrorCode.Unavailable]: { status: 503, slug: 'graph-unavailable', title: 'Graph database unavailable' },
  [GraphErrorCode.InvalidImport]: { status: 422, slug: 'import-rejected', title: 'Import rejected' },

  [PortalErrorCode.NotFound]: PORTAL_NOT_FOUND,
  [PortalErrorCode.RefTaken]: CONFLICT,
  [PortalErrorCode.SiteRetired]: CONFLICT,
  [PortalErrorCode.InvalidSite]: { status: 422, slug: 'invalid-site', title: 'Invalid site' },
  [PortalErrorCode.DisclosureRejected]: { status: 422, slug: 'disclosure-rejected', title: 'Disclosure rejected' },
  [PortalErrorCode.InvalidSurveyAnswer]: { status: 422, slug: 'invalid-survey-answer', title: 'Invalid survey answer' },
  [PortalErrorCode.AnswerNotAllowed]: CONFLICT,

  [WebhookErrorCode.SubscriptionNotFound]: NOT_FOUND,
  [WebhookErrorCode.DeliveryNotFound]: NOT_FOUND,
  [WebhookErrorCode.DeliveryInFlight]: CONFLICT,
  [WebhookErrorCode.SubscriptionPaused]: CONFLICT,
  [WebhookErrorCode.UrlRefused]: { status: 422, slug: 'webhook-url-refused', title: 'Webhook URL refused' },

  [AccessErrorCode.KeyNotFound]: NOT_FOUND,
  [AccessErrorCode.InvalidKeyRequest]: { status: 422, slug: 'invalid-key-request', title: 'Invalid key request' },

  [TwinErrorCode.RunNotFound]: NOT_FOUND,
  [TwinErrorCode.InvalidRequest]: { status: 422, slug: 'invalid-twin-request', title: 'Invalid twin run request' },
  [TwinErrorCode.InvalidScenario]: { status: 422, slug: 'invalid-scenario', title: 'Invalid scenario' },
  [TwinErrorCode.UnknownReference]: { status: 422, slug: 'unknown-reference', title: 'Unknown site, supplier or event' },
  [TwinErrorCode.InvalidCursor]: { status: 400, slug: 'invalid-cursor', title: 'Invalid cursor' },
  [TwinErrorCode.RunNotReady]: CONFLICT,
  [TwinErrorCode.NotCancellable]: CONFLICT,

  [TraceabilityErrorCode.InvalidDocument]: { status: 400, slug: 'epcis-invalid-document', title: 'Invalid EPCIS document' },
  [TraceabilityErrorCode.TooManyEvents]: { status: 413, slug: 'epcis-too-many-events', title: 'Too many events in one capture' },
  [TraceabilityErrorCode.LocationForbidden]: { status: 403, slug: 'epcis-location-forbidden', title: 'Location not among your sites' },
  [TraceabilityErrorCode.CaptureNotFound]: NOT_FOUND,
  [TraceabilityErrorCode.EventNotFound]: NOT_FOUND,
  [TraceabilityErrorCode.LotNotFound]: NOT_FOUND,
  [TraceabilityErrorCode.SkuNotFound]: NOT_FOUND,
  [TraceabilityErrorCode.InvalidQuery]: { status: 400, slug: 'epcis-invalid-query', title: 'Invalid EPCIS query' },

  [OnboardingErrorCode.ListNotFound]: NOT_FOUND,
  [OnboardingErrorCode.UnsupportedFormat]: { status: 415, slug: 'unsupported-list-format', title: 'Unsupported list format' },
  [OnboardingErrorCode.UnreadableFile]: { status: 422, slug: 'unreadable-list', title: 'Unreadable supplier list' },
  [OnboardingErrorCode.FileTooLarge]: { status: 413, slug: 'list-too-large', title: 'Supplier list too large' },
  [OnboardingErrorCode.TooManyRows]: { status: 413, slug: 'list-too-many-rows', title: 'Too many rows in one supplier list' },
  [OnboardingErrorCode.InvalidMapping]: { status: 422, slug: 'invalid-column-mapping', title: 'Invalid column mapping' },
  [OnboardingErrorCode.InvalidDecision]: { status: 422, slug: 'invalid-onboarding-decision', title: 'Invalid onboarding decision' },
  [OnboardingErrorCode.NotReady]: CONFLICT,
  [OnboardingErrorCode.ReviewIncomplete]: { status: 409, slug: 'onboarding-review-incomplete', title: 'Review incomplete' },
  [OnboardingErrorCode.InvalidCursor]: { status: 400, slug: 'invalid-cursor', title: 'Invalid cursor' },

  [BacktestErrorCode.RunNotFound]: NOT_FOUND,
  [BacktestErrorCode.InvalidRange]: { status: 422, slug: 'invalid-backtest-range', title: 'Invalid backtest range' },
  [BacktestErrorCode.InvalidRequest]: { status: 422, slug: 'invalid-backtest-request', title: 'Invalid backtest request' },
  [BacktestErrorCode.DocumentTooLarge]: { status: 413, slug: 'feed-document-too-large', title: 'Feed document too large' },
  [BacktestErrorCode.TooManyEvents]: { status: 413, slug: 'backtest-too-many-events', title: 'Too many events in one backtest' },
};

export function isDomainError(error: unknown): error is DomainError {
  return DOMAIN_ERRORS.some((type) => error instanceof type);
}

/** The problem a domain error is answered with: the table's status, type and title; the error's message and row errors. */
export function domainProblem(error: DomainError): Problem {
  const kind = DOMAIN_PROBLEMS[error.code];
  return { type: problemType(kind.slug), title: kind.title, status: kind.status, detail: error.message, errors: error.details?.errors };
}
