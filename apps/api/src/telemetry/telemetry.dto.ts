import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { OptionalInteger } from '../http/property-rules';

/** Sensor ids are SenML names (RFC 8428 §4.5.1): a resolved name bn + n is looked up as the sensor id. */
const SENML_NAME = /^[A-Za-z0-9][-:./A-Za-z0-9_]*$/;

export class SensorIdParam {
  @IsString()
  @MaxLength(256)
  @Matches(SENML_NAME, { message: 'a sensor id is a SenML name: letters, digits and - : . / _, starting with a letter or digit' })
  id: string;
}

/** PUT /v1/sensors/:id */
export class RegisterSensorDto {
  @ApiProperty({ description: 'the site the sensor watches; its rules raise impacts there' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  siteId: string;

  @ApiProperty({ description: 'selects the rules (see README "Telemetry"), e.g. temperature, humidity', example: 'temperature' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'metric: 1-64 letters, digits, . _ -' })
  metric: string;

  @ApiPropertyOptional({ description: 'SenML unit (RFC 8428 §12.1), e.g. Cel, %RH; readings in another unit are dead-lettered', example: 'Cel' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  unit?: string;
}

export class SensorQuery {
  @OptionalInteger({ minimum: 0, maximum: 1000, default: 50, description: 'recent readings to include, newest first' })
  recent = 50;
}
