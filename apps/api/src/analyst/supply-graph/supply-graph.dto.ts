export { PageQuery } from '../../http/pagination.dto';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';

export class DepthQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 10, default: 3 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  depth = 3;
}

/** Path ids follow the import's id rule; anything else cannot exist. */
export class IdParam {
  @IsString()
  @MaxLength(128)
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N}._:\-/]*$/u, { message: 'id may contain only letters, digits and . _ : - /' })
  id: string;
}
