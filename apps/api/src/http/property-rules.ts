import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsEntityId, MAX_ENTITY_ID_LENGTH } from '@tiersight/contracts';

/**
 * One decorator for several, applied as TypeScript applies decorators written
 * one above the other in this order (the last one first), so validation
 * messages keep the order they had as separate decorators.
 */
export function stacked(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    for (const decorate of [...decorators].reverse()) decorate(target, key);
  };
}

/** A required entity id (path parameter or field): the id rule and its length. */
export const EntityId = () =>
  stacked(ApiProperty({ type: String, maxLength: MAX_ENTITY_ID_LENGTH }), IsString(), MaxLength(MAX_ENTITY_ID_LENGTH), IsEntityId());

/** An optional entity id (a filter or a field): the id rule and its length when present. */
export const OptionalEntityId = (options: ApiPropertyOptions = {}) =>
  stacked(ApiPropertyOptional(options), IsOptional(), IsString(), MaxLength(MAX_ENTITY_ID_LENGTH), IsEntityId());

/** An optional whole-number query parameter from `minimum` to `maximum`; the property's initializer is its `default`. */
export const OptionalInteger = ({
  minimum,
  maximum,
  default: byDefault,
  description,
}: {
  minimum: number;
  maximum: number;
  default: number;
  description?: string;
}) =>
  stacked(
    ApiPropertyOptional({ type: 'integer', minimum, maximum, default: byDefault, ...(description === undefined ? {} : { description }) }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(minimum),
    Max(maximum),
  );

/** Path ids follow the import's id rule; anything else cannot exist. */
export class IdParam {
  @EntityId()
  id: string;
}
