import { Body, Controller, HttpCode, Post, UnprocessableEntityException } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@tiersight/access';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { InvalidGeometryError, parseEventGeometry } from '@tiersight/geo-engine';
import { ScenarioImpact, ScenarioService, UnknownScenarioReferenceError } from '@tiersight/risk-runs';
import { ScenarioDto, ScenarioImpactDto } from './scenarios.dto';
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
    const impacts = body.impacts.map((raw, i) => toImpact(raw, i));
    try {
      const { exposures, graphVersion, impactedSites } = await this.scenarios.run(impacts, body.threshold);
      return { graphVersion, impactedSites, exposures };
    } catch (error) {
      if (error instanceof UnknownScenarioReferenceError) throw new UnprocessableEntityException(error.message);
      throw error;
    }
  }
}

function toImpact(raw: unknown, i: number): ScenarioImpact {
  const dto = plainToInstance(ScenarioImpactDto, raw);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) {
    throw new UnprocessableEntityException(errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `impacts[${i}]: ${m}`)));
  }
  const kinds = [dto.siteIds, dto.supplierIds, dto.geometry].filter((v) => v !== undefined).length;
  if (kinds !== 1) throw new UnprocessableEntityException(`impacts[${i}]: give exactly one of siteIds, supplierIds, geometry`);
  if (dto.geometry) {
    if (dto.severity === undefined) throw new UnprocessableEntityException(`impacts[${i}]: an area needs severity`);
    try {
      return { geometry: parseEventGeometry(dto.geometry, dto.radiusKm), severity: dto.severity, days: dto.days };
    } catch (error) {
      if (error instanceof InvalidGeometryError) throw new UnprocessableEntityException(`impacts[${i}]: ${error.message}`);
      throw error;
    }
  }
  if (dto.x === undefined) throw new UnprocessableEntityException(`impacts[${i}]: sites or suppliers need x`);
  return dto.siteIds ? { siteIds: dto.siteIds, x: dto.x, days: dto.days } : { supplierIds: dto.supplierIds!, x: dto.x, days: dto.days };
}
