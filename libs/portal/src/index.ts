export { PortalModule } from './portal.module';
export { PortalError, PortalErrorCode } from './portal.error';
export { PortalSitesService } from './portal-sites.service';
export type { PortalActor } from './portal-sites.service';
export { DisclosureService } from './disclosure.service';
export type { DisclosureEntity } from './disclosure-rows';
export { SurveyService } from './survey.service';
export { SURVEY_ANSWERS, SURVEY_STATES, SurveyTransitionError } from './survey-state';
export type { SurveyAnswerStatus, SurveyState } from './survey-state';
