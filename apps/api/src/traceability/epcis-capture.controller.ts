import { Body, Controller, Get, HttpCode, Param, Post, Req, Res, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Caller, CurrentCaller, Roles } from '@tiersight/access';
import { CaptureService } from '@tiersight/traceability';
import { CaptureIdParam } from './epcis.dto';
import { CaptureAccepted, CaptureView } from './epcis.responses.dto';

const EPCIS_TYPES = ['application/json', 'application/ld+json'];

const CAPTURE_EXAMPLE = {
  '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
  type: 'EPCISDocument',
  schemaVersion: '2.0',
  creationDate: '2024-05-01T08:00:00Z',
  epcisBody: {
    eventList: [
      {
        type: 'ObjectEvent',
        eventTime: '2024-05-01T07:30:00+02:00',
        eventTimeZoneOffset: '+02:00',
        action: 'OBSERVE',
        bizStep: 'shipping',
        quantityList: [{ epcClass: 'urn:epc:class:lgtin:4012345.012345.LOT-42', quantity: 200 }],
        readPoint: { id: 'urn:epc:id:sgln:4012345.00001.0' },
      },
    ],
  },
};

@ApiTags('traceability')
@ApiBearerAuth()
@Controller('v1/epcis/capture')
export class EpcisCaptureController {
  constructor(private readonly captures: CaptureService) {}

  /**
   * EPCIS 2.0 capture: an EPCISDocument (JSON or JSON-LD), checked whole now
   * (400 with the JSON pointer of every problem; 413 above EPCIS_MAX_BYTES or
   * EPCIS_MAX_EVENTS; 403 when a supplier key names a location that is not one
   * of its sites), then written by the worker all or nothing. Poll the capture.
   */
  @Post()
  @Roles('admin', 'supplier')
  @HttpCode(202)
  @ApiConsumes(...EPCIS_TYPES)
  @ApiBody({ schema: { type: 'object', example: CAPTURE_EXAMPLE } })
  @ApiAcceptedResponse({ type: CaptureAccepted, description: 'accepted; `Location` names the capture to poll' })
  async capture(
    @Body() body: unknown,
    @Req() req: Request & { id?: string },
    @Res({ passthrough: true }) res: Response,
    @CurrentCaller() caller: Caller,
  ): Promise<CaptureAccepted> {
    if (!req.is(EPCIS_TYPES)) throw new UnsupportedMediaTypeException(`send the EPCISDocument as ${EPCIS_TYPES.join(' or ')}`);
    const accepted = await this.captures.submit(body, caller, typeof req.id === 'string' ? req.id : undefined);
    res.setHeader('Location', accepted.links.self);
    return accepted;
  }

  /** The capture's status (`pending`, `running`, `succeeded`, `failed`), its counts, and the errors per event when refused. */
  @Get(':id')
  @Roles('admin', 'analyst', 'supplier')
  @ApiOkResponse({ type: CaptureView })
  status(@Param() p: CaptureIdParam, @CurrentCaller() caller: Caller): Promise<CaptureView> {
    return this.captures.status(p.id, caller);
  }
}
