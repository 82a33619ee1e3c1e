import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export class FeedIdParam {
  @Matches(/^[a-z0-9][a-z0-9._-]{0,63}$/, { message: 'feed id must be 1-64 lowercase letters, digits, ".", "_" or "-"' })
  id!: string;
}

export class DeadLetterQuery {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 50;

  @ApiPropertyOptional({ description: 'id of the last record of the previous page' })
  @IsOptional()
  @Matches(/^\d{1,20}-\d{1,20}$/, { message: 'cursor must be a record id such as 1700000000000-0' })
  cursor?: string;

  @ApiPropertyOptional({ enum: ['feed', 'telemetry', 'job', 'geo-match'] })
  @IsOptional()
  @IsIn(['feed', 'telemetry', 'job', 'geo-match'])
  kind?: 'feed' | 'telemetry' | 'job' | 'geo-match';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  source?: string;
}
