import { CodedError, type FieldError } from '@tiersight/contracts';
import type { DisclosureRowError } from './disclosure-rows';

/** Why a portal request was refused; the API maps each code to its problem type. */
export enum PortalErrorCode {
  /** The supplier, site, disclosed supplier or survey does not exist for the caller (someone else's reads the same). */
  NotFound = 'PORTAL_NOT_FOUND',
  /** Another site of the supplier has this ref. */
  RefTaken = 'PORTAL_REF_TAKEN',
  SiteRetired = 'PORTAL_SITE_RETIRED',
  InvalidSite = 'PORTAL_INVALID_SITE',
  DisclosureRejected = 'PORTAL_DISCLOSURE_REJECTED',
  InvalidSurveyAnswer = 'PORTAL_INVALID_SURVEY_ANSWER',
  /** The answer is not allowed from the survey's current state. */
  AnswerNotAllowed = 'PORTAL_ANSWER_NOT_ALLOWED',
}

export class PortalError extends CodedError<PortalErrorCode, { errors?: (FieldError | DisclosureRowError)[] }> {}
