import { CodedError } from '@tiersight/contracts';

/** Why a backtest was refused or failed; the API maps each code to its problem type. */
export enum BacktestErrorCode {
  /** No such backtest, or one older than the retention. */
  RunNotFound = 'BACKTEST_RUN_NOT_FOUND',
  /** `from`/`to` not instants, `to` not after `from`, or a range longer than BACKTEST_MAX_RANGE_DAYS. */
  InvalidRange = 'BACKTEST_INVALID_RANGE',
  /** Neither or both of `source` and `documents`, or more documents than BACKTEST_MAX_DOCUMENTS. */
  InvalidRequest = 'BACKTEST_INVALID_REQUEST',
  /** A document over its feed format's size limit (the feed path's). */
  DocumentTooLarge = 'BACKTEST_DOCUMENT_TOO_LARGE',
  /** More event versions to replay than BACKTEST_MAX_EVENTS. */
  TooManyEvents = 'BACKTEST_TOO_MANY_EVENTS',
}

export class BacktestError extends CodedError<BacktestErrorCode> {}
