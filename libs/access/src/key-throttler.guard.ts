import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Caller } from './api-token';
import { CALLER } from './caller.decorator';
import { IS_PUBLIC } from '@tiersight/contracts';

/**
 * Rate limit per API key across every route (runs after ApiKeyGuard, which
 * attached the caller). Counts live in Redis, shared by every API process.
 */
@Injectable()
export class KeyThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    return this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]) ?? false;
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const caller = (req as { [CALLER]?: Caller })[CALLER];
    if (caller) return `key:${caller.keyId}`;
    // Express puts the client address in `ip`.
    return `ip:${typeof req.ip === 'string' ? req.ip : 'unknown'}`;
  }

  /** One bucket per key for the whole API (the default would count per route). */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }
}
