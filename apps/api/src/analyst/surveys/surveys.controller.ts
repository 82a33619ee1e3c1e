import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@tiersight/access';
import { SurveyService } from '@tiersight/portal';
import { AnalystSurveyQuery, statesOf } from '../../portal/portal.dto';
import { AnalystSurveyPage } from '../../portal/portal.responses.dto';

@ApiTags('surveys')
@ApiBearerAuth()
@Roles('admin', 'analyst')
@Controller('v1/surveys')
export class SurveysController {
  constructor(private readonly surveys: SurveyService) {}

  /** Surveys across suppliers with their age in days, oldest first: who to chase. `state=open` (default) = unanswered. */
  @Get()
  @ApiOkResponse({ type: AnalystSurveyPage })
  list(@Query() q: AnalystSurveyQuery) {
    return this.surveys.forAnalysts({ states: statesOf(q.state), eventId: q.eventId, supplierId: q.supplierId }, q.limit, q.cursor);
  }
}
