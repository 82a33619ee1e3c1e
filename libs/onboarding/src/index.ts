// Public entry of @tiersight/onboarding: supplier lists uploaded, reviewed and confirmed (issue #18).
export { OnboardingModule } from './onboarding.module';
export {
  OnboardingService,
  SUPPLIER_LIST_MAX_ROWS,
  type DecisionsInput,
  type ListOwner,
  type PreparedConfirm,
  type RowPage,
  type UploadedList,
} from './onboarding.service';
export { OnboardingReviewer } from './onboarding-reviewer';
export { OnboardingRepository } from './onboarding.repository';
export { OnboardingError, OnboardingErrorCode, type OnboardingProblem } from './onboarding.error';
export type { Confirmation, ListFile, ListRecord, ListStatus } from './onboarding-list.store';
export {
  FACILITY_NAME_HEADERS,
  HEADER_SYNONYMS,
  LIST_FIELDS,
  mapColumns,
  parseMapping,
  type ColumnMapping,
  type ExplicitMapping,
  type ListField,
  type MappingOptions,
} from './columns';
export { decodeText, type DecodedText, type TextEncoding } from './decode-text';
export { readList, type ListRow, type ReadList } from './read-list';
export { buildReview, reviewRows, type ExistingSite, type Review, type ReviewPair, type ReviewRow, type ReviewStatus } from './review';
export { planConfirm, type ConfirmPlan, type PairDecision, type PlannedPlacement, type PlanOptions, type RowDecision, type RowOutcome } from './confirm-plan';
export { siteIdFor, supplierIdFor } from './entity-ids';
