import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Caller } from './api-token';

export const CALLER = Symbol('tiersight:caller');

/** The request's caller as the guard resolved it. */
export function callerOf(req: object): Caller {
  const caller = (req as { [CALLER]?: Caller })[CALLER];
  // Only reachable on a route that is @Public yet asks for a caller: a bug in the route.
  if (!caller) throw new Error('no caller on this request');
  return caller;
}

/** `@CurrentCaller() caller: Caller` in a controller method. */
export const CurrentCaller = createParamDecorator((_data: unknown, ctx: ExecutionContext): Caller => callerOf(ctx.switchToHttp().getRequest()));
