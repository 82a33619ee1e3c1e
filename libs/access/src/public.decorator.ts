import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'tiersight:public';
/** Marks a route that needs no API key (health, metrics). Everything else is closed by default. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
