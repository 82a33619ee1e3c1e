import { CodedError, type FieldError } from '@tiersight/contracts';

/** Why an onboarding request was refused; the API maps each code to its problem type. */
export enum OnboardingErrorCode {
  /** No such list, or one older than the retention. */
  ListNotFound = 'ONBOARDING_LIST_NOT_FOUND',
  /** Neither CSV nor XLSX (a legacy .xls, a PDF, an image …). */
  UnsupportedFormat = 'ONBOARDING_UNSUPPORTED_FORMAT',
  /** A CSV or XLSX that cannot be read: broken quoting or archive, no header, no name column. */
  UnreadableFile = 'ONBOARDING_UNREADABLE_FILE',
  /** A file larger than ONBOARDING_MAX_BYTES. */
  FileTooLarge = 'ONBOARDING_FILE_TOO_LARGE',
  /** More rows than ONBOARDING_MAX_ROWS. */
  TooManyRows = 'ONBOARDING_TOO_MANY_ROWS',
  /** An explicit column mapping that is not JSON, names an unknown field or a header the file does not have. */
  InvalidMapping = 'ONBOARDING_INVALID_MAPPING',
  /** A decision naming a row or pair the review does not have, or an edit without coordinates. */
  InvalidDecision = 'ONBOARDING_INVALID_DECISION',
  /** Decisions or a confirm before the review is ready, or after it was confirmed or failed. */
  NotReady = 'ONBOARDING_NOT_READY',
  /** A confirm while rows or duplicate proposals still wait for a decision. */
  ReviewIncomplete = 'ONBOARDING_REVIEW_INCOMPLETE',
  /** A cursor this API did not issue. */
  InvalidCursor = 'ONBOARDING_INVALID_CURSOR',
}

/** `errors` name the rows (`row` as a spreadsheet numbers it, the header being row 1) or fields at fault. */
export type OnboardingProblem = FieldError & { row?: number; pair?: string };

export class OnboardingError extends CodedError<OnboardingErrorCode, { errors?: OnboardingProblem[] }> {}
