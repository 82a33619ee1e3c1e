export { ApiKeyGuard } from './api-key.guard';
export { IS_PUBLIC, Public } from './public.decorator';
