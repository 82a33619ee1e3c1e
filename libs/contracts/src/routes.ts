/**
 * Route metadata: a controller or handler carrying it needs no API key
 * (health, metrics). The API key guard reads it; any lib can set it without
 * depending on the access lib.
 */
export const IS_PUBLIC = 'tiersight:public';
