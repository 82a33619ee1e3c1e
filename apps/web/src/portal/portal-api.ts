import { api } from '../api';

/** The supplier a supplier key is bound to. */
export interface PortalMe {
  supplierId: string;
  name: string | null;
}

export async function whoAmI(key?: string): Promise<PortalMe> {
  const me = await api<Record<string, unknown>>('/v1/portal/me', { key });
  const supplier = (me.supplier ?? me) as Record<string, unknown>;
  const supplierId = String(supplier.supplierId ?? supplier.id ?? me.supplierId);
  return { supplierId, name: typeof supplier.name === 'string' ? supplier.name : null };
}
