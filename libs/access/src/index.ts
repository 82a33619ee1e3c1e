export { AccessModule, KeysModule } from './access.module';
export { AccessError, AccessErrorCode } from './access.error';
export { ApiKeyService } from './api-key.service';
export { CLI_KEY_ID } from './api-token';
export type { Caller } from './api-token';
export { CurrentCaller } from './caller.decorator';
export { namedIds } from './masking';
export { ROLES, Roles } from './roles.decorator';
export type { Role } from './roles.decorator';
