import { SetMetadata } from '@nestjs/common';
import { IS_PUBLIC } from '@tiersight/contracts';

/** Marks a route that needs no API key (health, metrics). Everything else is closed by default. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
