import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { StreamPageQuery } from '../http/pagination.dto';

export class FeedIdParam {
  @Matches(/^[a-z0-9][a-z0-9._-]{0,63}$/, { message: 'feed id must be 1-64 lowercase letters, digits, ".", "_" or "-"' })
  id!: string;
}

export class DeadLetterQuery extends StreamPageQuery {
  @ApiPropertyOptional({ enum: ['feed', 'telemetry', 'job', 'geo-match'] })
  @IsOptional()
  @IsIn(['feed', 'telemetry', 'job', 'geo-match'])
  kind?: 'feed' | 'telemetry' | 'job' | 'geo-match';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  source?: string;
}
