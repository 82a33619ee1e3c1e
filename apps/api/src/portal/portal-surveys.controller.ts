import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@tiersight/access';
import { SurveyService } from '@tiersight/portal';
import { statesOf, SurveyAnswerDto, SurveyIdParam, SurveyListQuery } from './portal.dto';
import { portalActor } from './portal-actor';
import { SupplierSurvey, SupplierSurveyPage } from './portal.responses.dto';

/** "Are you impacted?": one survey per (event, site of yours) while the event is active and hits the site. */
@ApiTags('portal')
@ApiBearerAuth()
@Roles('supplier')
@Controller('v1/portal/surveys')
export class PortalSurveysController {
  constructor(private readonly surveys: SurveyService) {}

  /** Your surveys, oldest question first; `state=open` (default) lists the unanswered ones. */
  @Get()
  @ApiOkResponse({ type: SupplierSurveyPage })
  list(@Query() q: SurveyListQuery, @CurrentCaller() caller: Caller) {
    return this.surveys.forSupplier(portalActor(caller).supplierId, statesOf(q.state), q.limit, q.cursor);
  }

  @Get(':id')
  @ApiOkResponse({ type: SupplierSurvey })
  @ApiNotFoundResponse({ description: 'no such survey among yours' })
  one(@Param() p: SurveyIdParam, @CurrentCaller() caller: Caller) {
    return this.surveys.one(portalActor(caller).supplierId, p.id);
  }

  /** Answer: `confirmed` with capacityLoss and recoveryDays, `no-impact`, or later `restored`. The answer replaces the estimate. */
  @Post(':id/answer')
  @HttpCode(200)
  @ApiOkResponse({ type: SupplierSurvey })
  @ApiNotFoundResponse({ description: 'no such survey among yours' })
  @ApiConflictResponse({ description: "the answer is not allowed in the survey's state (e.g. restored before confirmed)" })
  answer(@Param() p: SurveyIdParam, @Body() body: SurveyAnswerDto, @CurrentCaller() caller: Caller) {
    return this.surveys.answer(portalActor(caller), p.id, body);
  }
}
