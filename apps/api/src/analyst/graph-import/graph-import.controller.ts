import { Body, Controller, HttpCode, Post, Req, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { Caller, CurrentCaller, Roles } from '@tiersight/access';
import { ImportCounts } from '@tiersight/graph';
import type { HashedBody } from '../../http/json-body.middleware';
import { GraphImportFlow } from './graph-import.flow';
import { IMPORT_EXAMPLE } from './import.openapi';

@ApiTags('graph')
@ApiBearerAuth()
@Roles('admin', 'analyst')
@Controller('v1/graph')
export class GraphImportController {
  constructor(private readonly flow: GraphImportFlow) {}

  /** Bulk upsert of suppliers, sites, parts, SKUs and SUPPLIES edges; all or nothing. */
  @Post('import')
  @HttpCode(200)
  @ApiBody({ schema: { type: 'object', example: IMPORT_EXAMPLE } })
  @ApiOkResponse({ description: 'Counts of rows upserted and of nodes and relationships created' })
  @ApiUnprocessableEntityResponse({ description: 'problem+json with `errors: [{ entity, index, field, message }]`; nothing written' })
  async import(@Req() req: HashedBody & { id?: string }, @Body() body: unknown, @CurrentCaller() caller: Caller): Promise<ImportCounts> {
    if (!req.is('application/json') && !req.is('application/*+json')) {
      throw new UnsupportedMediaTypeException('send the import as application/json');
    }
    return this.flow.run(body, typeof req.id === 'string' ? req.id : undefined, caller, { bodySha256: req.bodySha256 });
  }
}
