import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ROLES, type Role } from '@tiersight/access';
import { LimitQuery, PageQuery } from '../http/pagination.dto';
import { OptionalEntityId } from '../http/property-rules';

export class CreateKeyDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @OptionalEntityId({ description: 'the supplier a supplier key is bound to (required for role supplier, refused otherwise)' })
  supplierId?: string;

  @ApiPropertyOptional({ description: 'a label for people: who or what uses the key' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  name?: string;
}

export class KeyListQuery extends PageQuery {
  @ApiPropertyOptional({ type: Boolean, description: 'include revoked keys', default: false })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  revoked = false;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @OptionalEntityId()
  supplierId?: string;
}

export class KeyIdParam {
  @IsString()
  @Matches(/^key_[A-Za-z0-9_-]{1,64}$/, { message: 'id must be an API key id (key_…)' })
  id: string;
}

export class AuditListQuery extends LimitQuery {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  cursor?: string;
}
