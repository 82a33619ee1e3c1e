import { Matches, type ValidationOptions } from 'class-validator';

/** The characters an entity id may hold after its first one, as the body of a regex character class. */
export const ENTITY_ID_CHARS = String.raw`\p{L}\p{N}._:\-/`;

/**
 * The id rule every supplier, site, part, SKU and event id obeys, in the
 * import, the API and the feeds: a letter or digit (any script), then letters,
 * digits and `. _ : - /`. Starting with a letter or digit keeps `../x`, `/x`
 * and `.x` out.
 */
export const ENTITY_ID_PATTERN = new RegExp(String.raw`^[\p{L}\p{N}][${ENTITY_ID_CHARS}]*$`, 'u');

export const MAX_ENTITY_ID_LENGTH = 128;

/** What an id that breaks the pattern is told (after the field's name). */
export const ENTITY_ID_RULE = 'may contain only letters, digits and . _ : - /';

/** True for an id of 1 to MAX_ENTITY_ID_LENGTH characters that matches the id rule. */
export function isEntityId(value: string): boolean {
  return value.length <= MAX_ENTITY_ID_LENGTH && ENTITY_ID_PATTERN.test(value);
}

/**
 * class-validator check of the id pattern; the message names the property
 * (`supplierId may contain only …`). The length is left to `@MaxLength` so
 * that each failure keeps its own message.
 */
export function IsEntityId(options: ValidationOptions = {}): PropertyDecorator {
  return Matches(ENTITY_ID_PATTERN, { message: ({ property }) => `${property} ${ENTITY_ID_RULE}`, ...options });
}
