import { CodedError } from '@tiersight/contracts';

/** Why the engine refused an input; callers map codes, never messages. */
export enum RiskEngineErrorCode {
  DuplicateId = 'RISK_DUPLICATE_ID',
  UnknownNode = 'RISK_UNKNOWN_NODE',
  UnknownSupplier = 'RISK_UNKNOWN_SUPPLIER',
  InvalidValue = 'RISK_INVALID_VALUE',
  ShareSumExceeded = 'RISK_SHARE_SUM_EXCEEDED',
  NotASite = 'RISK_NOT_A_SITE',
  NotASku = 'RISK_NOT_A_SKU',
  BuilderConsumed = 'RISK_BUILDER_CONSUMED',
}

export class RiskEngineError extends CodedError<RiskEngineErrorCode> {}
