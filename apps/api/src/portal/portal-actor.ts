import { ForbiddenException } from '@nestjs/common';
import type { Caller } from '@tiersight/access';
import type { PortalActor } from '@tiersight/portal';

/** The supplier a portal route acts for: always the key's own, never one named in the request. */
export function portalActor(caller: Caller): PortalActor {
  if (caller.role !== 'supplier' || !caller.supplierId) throw new ForbiddenException('the portal is for supplier keys');
  return { keyId: caller.keyId, role: caller.role, supplierId: caller.supplierId };
}
