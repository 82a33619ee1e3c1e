import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

/**
 * The response schema of a list paged by cursor, `{ items, nextCursor }`, to
 * extend with a named class: `class SitePage extends PageOf(Site) {}`.
 */
export function PageOf<T>(item: Type<T>) {
  abstract class Page {
    @ApiProperty({ type: [item] })
    items: T[];

    @ApiProperty({ type: String, nullable: true, description: 'pass as `cursor` for the next page; null on the last page' })
    nextCursor: string | null;
  }
  return Page;
}
