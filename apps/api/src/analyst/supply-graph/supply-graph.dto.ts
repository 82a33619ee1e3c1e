export { PageQuery } from '../../http/pagination.dto';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsEntityId, MAX_ENTITY_ID_LENGTH } from '@tiersight/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class DepthQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10, default: 3 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  depth = 3;
}

/** Path ids follow the import's id rule; anything else cannot exist. */
export class IdParam {
  @ApiProperty({ type: String, maxLength: MAX_ENTITY_ID_LENGTH })
  @IsString()
  @MaxLength(MAX_ENTITY_ID_LENGTH)
  @IsEntityId()
  id: string;
}
