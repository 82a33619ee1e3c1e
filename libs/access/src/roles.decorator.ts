import { SetMetadata } from '@nestjs/common';

export const ROLES = ['admin', 'analyst', 'supplier'] as const;
export type Role = (typeof ROLES)[number];

export const ALLOWED_ROLES = 'tiersight:roles';
/** The roles that may call a route (on a handler or a controller). A route with neither `@Roles` nor `@Public` is denied. */
export const Roles = (...roles: Role[]) => SetMetadata(ALLOWED_ROLES, roles);
