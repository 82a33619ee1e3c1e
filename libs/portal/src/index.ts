export { PortalModule } from './portal.module';
export { PortalError, PortalErrorCode } from './portal.error';
export type { PortalFieldError } from './portal.error';
export { PortalSitesService, newPortalId } from './portal-sites.service';
export type { NewSite, PortalActor, SitePatch } from './portal-sites.service';
export type { PortalProfile, PortalSite } from './portal.repository';
export { DisclosureService } from './disclosure.service';
export type { DisclosureResult } from './disclosure.service';
export type { DisclosedLink, DisclosedSite, DisclosedSupplier } from './disclosure.repository';
export {
  checkDisclosureReferences,
  checkDisclosureShapes,
  DISCLOSURE_ENTITIES,
  DISCLOSURE_RULES,
  disclosureCsvRows,
  MAX_DISCLOSURE_ROWS,
} from './disclosure-rows';
export type { Disclosure, DisclosureEntity, DisclosureFacts, DisclosureRowError } from './disclosure-rows';
export { OPEN_STATES, SurveyService } from './survey.service';
export type { AnalystSurvey, SupplierSurvey } from './survey.service';
export {
  answerErrors,
  applyAnswer,
  effectiveImpact,
  parseSurveyId,
  SURVEY_ANSWERS,
  SURVEY_STATES,
  surveyId,
  SurveyTransitionError,
} from './survey-state';
export type { SurveyAnswer, SurveyAnswerStatus, SurveyPosition, SurveyState } from './survey-state';
