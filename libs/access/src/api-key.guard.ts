import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { APP_CONFIG, ApiEnv } from '@tiersight/config';
import { bearerToken, Caller, DEV_OPEN_KEY_ID } from './api-token';
import { ApiKeyService } from './api-key.service';
import { CALLER } from './caller.decorator';
import { IS_PUBLIC } from '@tiersight/contracts';
import { ALLOWED_ROLES, Role } from './roles.decorator';

/**
 * Every route is closed unless it says otherwise: `@Public()` opens it, and
 * `@Roles(...)` names exactly the roles that may call it (admin is listed where
 * it is allowed, never implied). A route with neither is refused to every key.
 * 401 for a missing, unknown or revoked key; 403 for a key of another role.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly authDisabled: boolean;

  constructor(
    @Inject(APP_CONFIG) config: ApiEnv,
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyService,
  ) {
    if (config.AUTH_DISABLED && config.NODE_ENV === 'production') throw new Error('AUTH_DISABLED=true is refused with NODE_ENV=production');
    this.authDisabled = config.AUTH_DISABLED;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<Request & { [CALLER]?: Caller }>();
    const caller = await this.resolve(req);
    req[CALLER] = caller;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets) ?? [];
    if (roles.length === 0) throw new ForbiddenException('this route admits no role');
    if (!roles.includes(caller.role)) throw new ForbiddenException(`this route is for ${roles.join(' or ')} keys`);
    return true;
  }

  private async resolve(req: Request): Promise<Caller> {
    const token = bearerToken(req.headers.authorization);
    if (token) {
      const caller = await this.keys.authenticate(token);
      if (caller) return caller;
      throw new UnauthorizedException('the API key is unknown or revoked');
    }
    // Local development only (refused in production at start): an absent key acts as an admin.
    if (this.authDisabled && !req.headers.authorization) return { keyId: DEV_OPEN_KEY_ID, role: 'admin', supplierId: null };
    throw new UnauthorizedException('an API key is required: Authorization: Bearer <key>');
  }
}
