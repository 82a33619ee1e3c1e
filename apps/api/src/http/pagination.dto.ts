import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { OptionalInteger } from './property-rules';

/** `limit` of every list: 1–500, 50 when absent. */
export class LimitQuery {
  @OptionalInteger({ minimum: 1, maximum: 500, default: 50 })
  limit = 50;
}

/** A list paged by an opaque cursor: the `nextCursor` of the previous page. */
export class PageQuery extends LimitQuery {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(400)
  cursor?: string;
}

/** A list read from a Redis stream, paged by the id of the last record of the previous page. */
export class StreamPageQuery extends LimitQuery {
  @ApiPropertyOptional({ description: 'id of the last record of the previous page (nextCursor)' })
  @IsOptional()
  @Matches(/^\d{1,20}-\d{1,20}$/, { message: 'cursor must be a record id such as 1700000000000-0' })
  cursor?: string;
}
