export { ApiKeyGuard } from './api-key.guard';
export { IS_PUBLIC, Public } from './public.decorator';
export { ALLOWED_ROLES, ROLES, Roles } from './roles.decorator';
export type { Role } from './roles.decorator';
