import { UnprocessableEntityException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { InvalidGeometryError, parseEventGeometry } from '@tiersight/geo-engine';
import type { ScenarioImpact } from '@tiersight/risk-runs';
import { ScenarioImpactDto } from './scenarios.dto';

/** Turns what was wrong with an impact (one message, or one per failed constraint) into the error to throw. */
export type RefuseImpact = (message: string | string[]) => Error;

/**
 * One raw impact of a scenario body checked and parsed: exactly one of
 * siteIds, supplierIds or geometry, with the fields that kind needs; else
 * `refuse` (422 by default) with messages naming `<path>[i]`. Shared by
 * `POST /v1/scenarios` and the twin.
 */
export function toScenarioImpact(
  raw: unknown,
  i: number,
  path = 'impacts',
  refuse: RefuseImpact = (message) => new UnprocessableEntityException(message),
): ScenarioImpact {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw refuse(`${path}[${i}]: an impact must be an object`);
  const dto = plainToInstance(ScenarioImpactDto, raw);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw refuse(errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${path}[${i}]: ${m}`)));
  const kinds = [dto.siteIds, dto.supplierIds, dto.geometry].filter((v) => v !== undefined).length;
  if (kinds !== 1) throw refuse(`${path}[${i}]: give exactly one of siteIds, supplierIds, geometry`);
  if (dto.geometry) {
    if (dto.severity === undefined) throw refuse(`${path}[${i}]: an area needs severity`);
    try {
      return { geometry: parseEventGeometry(dto.geometry, dto.radiusKm), severity: dto.severity, days: dto.days };
    } catch (error) {
      if (error instanceof InvalidGeometryError) throw refuse(`${path}[${i}]: ${error.message}`);
      throw error;
    }
  }
  if (dto.x === undefined) throw refuse(`${path}[${i}]: sites or suppliers need x`);
  return dto.siteIds ? { siteIds: dto.siteIds, x: dto.x, days: dto.days } : { supplierIds: dto.supplierIds!, x: dto.x, days: dto.days };
}
