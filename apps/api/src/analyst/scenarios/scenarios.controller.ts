import { Body, Controller, HttpCode, Post, UnprocessableEntityException } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@tiersight/access';
import { ScenarioService, UnknownScenarioReferenceError } from '@tiersight/risk-runs';
import { toScenarioImpact } from './scenario-impacts';
import { ScenarioDto } from './scenarios.dto';
import { ScenarioResult } from './scenarios.responses.dto';

@ApiTags('risk')
@ApiBearerAuth()
@Roles('admin', 'analyst')
@Controller('v1/scenarios')
export class ScenariosController {
  constructor(private readonly scenarios: ScenarioService) {}

  /** What-if: exposures under hypothetical impacts; nothing stored, no alert sent. */
  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: ScenarioResult })
  async run(@Body() body: ScenarioDto) {
    const impacts = body.impacts.map((raw, i) => toScenarioImpact(raw, i));
    try {
      const { exposures, graphVersion, impactedSites } = await this.scenarios.run(impacts, body.threshold);
      return { graphVersion, impactedSites, exposures };
    } catch (error) {
      if (error instanceof UnknownScenarioReferenceError) throw new UnprocessableEntityException(error.message);
      throw error;
    }
  }
}
