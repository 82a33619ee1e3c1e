import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { from, mergeMap, Observable } from 'rxjs';
import type { Caller } from './api-token';
import { CALLER } from './caller.decorator';
import { MaskingRepository } from './masking.repository';
import { maskNames, namedIds } from './masking';

/**
 * Every response to a non-supplier caller (analysts, admins) goes through
 * here: names of masked suppliers and of their sites are replaced by null,
 * whatever route produced them. A supplier sees the names it disclosed itself
 * (the portal only ever returns its own data).
 */
@Injectable()
export class MaskingInterceptor implements NestInterceptor {
  constructor(private readonly masking: MaskingRepository) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const caller = context.switchToHttp().getRequest<{ [CALLER]?: Caller }>()[CALLER];
    if (!caller || caller.role === 'supplier') return next.handle();
    return next.handle().pipe(
      mergeMap((body) => {
        const ids = namedIds(body);
        if (ids.length === 0) return [body];
        return from(this.masking.maskedAmong(ids).then((masked) => maskNames(body, masked)));
      }),
    );
  }
}
