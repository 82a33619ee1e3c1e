import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { ApiKeyService, Caller, CurrentCaller, Roles } from '@tiersight/access';
import { CreateKeyDto, KeyIdParam, KeyListQuery } from './admin.dto';

/** API keys (admin). Served at /v1/admin/keys and, as DESIGN §7.1 names it, /v1/keys. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller(['v1/admin/keys', 'v1/keys'])
export class KeysController {
  constructor(private readonly keys: ApiKeyService) {}

  /** A new key; the token is in `key` and is shown this once (only its SHA-256 is stored). */
  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ description: '{ id, key, role, supplierId, name, createdAt, … }' })
  create(@Body() body: CreateKeyDto, @CurrentCaller() caller: Caller) {
    return this.keys.create(caller, body);
  }

  /** Keys with their last use (recorded at most once a minute); never the token. */
  @Get()
  list(@Query() q: KeyListQuery) {
    return this.keys.list(q.limit, q.cursor, { revoked: q.revoked, role: q.role, supplierId: q.supplierId });
  }

  /** Revokes a key at once in this process and within seconds in the others. */
  @Delete(':id')
  @HttpCode(200)
  revoke(@Param() p: KeyIdParam, @CurrentCaller() caller: Caller) {
    return this.keys.revoke(caller, p.id);
  }
}
