import { BadRequestException, Body, Controller, HttpCode, PayloadTooLargeException, Post, Req, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Roles } from '@tiersight/access';
import { SenmlPackError, TelemetryIngest, TooManyRecordsError } from '@tiersight/telemetry';

const SENML_TYPES = ['application/senml+json', 'application/json'];

@ApiTags('telemetry')
@ApiBearerAuth()
@Roles('admin', 'analyst')
@Controller('v1/telemetry')
export class TelemetryController {
  constructor(private readonly ingest: TelemetryIngest) {}

  /**
   * SenML JSON (RFC 8428): one pack, or an array of packs. 202 once queued;
   * records that cannot be read are dead-lettered with their reason and
   * counted in `rejected`, the others go on.
   */
  @Post()
  @HttpCode(202)
  @ApiConsumes(...SENML_TYPES)
  @ApiBody({
    schema: {
      type: 'array',
      items: { type: 'object' },
      example: [
        { bn: 'fridge-1', bu: 'Cel', v: 5.1 },
        { t: 300, v: 5.3 },
      ],
    },
  })
  async post(@Body() body: unknown, @Req() req: Request & { id?: string }) {
    if (!req.is(SENML_TYPES))
      throw new UnsupportedMediaTypeException({ message: `send SenML JSON as ${SENML_TYPES.join(' or ')}`, error: 'Unsupported Media Type' });
    try {
      return await this.ingest.accept(body, 'http', 'http', typeof req.id === 'string' ? req.id : undefined);
    } catch (error) {
      if (error instanceof SenmlPackError) throw new BadRequestException({ message: error.message, error: 'Malformed SenML pack' });
      if (error instanceof TooManyRecordsError) throw new PayloadTooLargeException({ message: error.message, error: 'Too many records' });
      throw error;
    }
  }
}
