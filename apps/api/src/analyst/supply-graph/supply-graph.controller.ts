import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@tiersight/access';
import { SupplyGraphRepository } from '@tiersight/graph';
import { SitePlacements } from '@tiersight/portal';
import { DepthQuery, IdParam, PageQuery } from './supply-graph.dto';
import { Site, SitePage, Sku, SkuPage, Supplier, SupplierDownstream, SupplierPage, UpstreamTree } from './supply-graph.responses.dto';

@ApiTags('graph')
@ApiBearerAuth()
@Roles('admin', 'analyst')
@Controller('v1')
export class SupplyGraphController {
  constructor(
    private readonly graph: SupplyGraphRepository,
    private readonly placements: SitePlacements,
  ) {}

  @Get('suppliers')
  @ApiOkResponse({ type: SupplierPage })
  suppliers(@Query() q: PageQuery) {
    return this.graph.suppliers(q.limit, q.cursor);
  }

  /** One supplier with its derived tier (smallest tier of its sites). */
  @Get('suppliers/:id')
  @ApiOkResponse({ type: Supplier })
  supplier(@Param() p: IdParam) {
    return this.graph.supplier(p.id);
  }

  /** SKUs that depend on the supplier, with the strongest chain of shares and the fewest hops. */
  @Get('suppliers/:id/downstream')
  @ApiOkResponse({ type: SupplierDownstream })
  async downstream(@Param() p: IdParam) {
    return { supplierId: p.id, skus: await this.graph.downstream(p.id) };
  }

  /** Sites, each with how its pin was found and whether it waits for its supplier to confirm it. */
  @Get('sites')
  @ApiOkResponse({ type: SitePage })
  async sites(@Query() q: PageQuery) {
    const page = await this.graph.sites(q.limit, q.cursor);
    return { ...page, items: await this.placements.withPlacements(page.items) };
  }

  /** One site with its derived tier (1 + the smallest tier among the nodes it supplies) and its pin's placement. */
  @Get('sites/:id')
  @ApiOkResponse({ type: Site })
  async site(@Param() p: IdParam) {
    return this.placements.withPlacement(await this.graph.site(p.id));
  }

  @Get('skus')
  @ApiOkResponse({ type: SkuPage })
  skus(@Query() q: PageQuery) {
    return this.graph.skus(q.limit, q.cursor);
  }

  @Get('skus/:id')
  @ApiOkResponse({ type: Sku })
  sku(@Param() p: IdParam) {
    return this.graph.sku(p.id);
  }

  /** The SKU's supply tree by tier, with shares, buffers, lead times and provenance. */
  @Get('skus/:id/upstream')
  @ApiOkResponse({ type: UpstreamTree })
  upstream(@Param() p: IdParam, @Query() q: DepthQuery) {
    return this.graph.upstream(p.id, q.depth);
  }
}
