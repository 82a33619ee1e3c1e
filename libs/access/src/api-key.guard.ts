import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { APP_CONFIG, ApiEnv } from '@tiersight/config';
import { IS_PUBLIC } from './public.decorator';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * With ADMIN_API_KEY set, every non-public route needs `Authorization: Bearer <key>`.
 * Without it the API runs open for local development (the start-up log says so).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly adminKeyDigest?: Buffer;

  constructor(@Inject(APP_CONFIG) config: ApiEnv, private readonly reflector: Reflector) {
    this.adminKeyDigest = config.ADMIN_API_KEY ? digest(config.ADMIN_API_KEY) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.adminKeyDigest) return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1]), this.adminKeyDigest)) {
      throw new UnauthorizedException('a valid API key is required: Authorization: Bearer <key>');
    }
    return true;
  }
}
