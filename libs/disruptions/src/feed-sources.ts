import { plainToInstance } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import { FEED_FORMATS, FeedFormat } from '@tiersight/feed-formats';

/** One configured disruption feed, pulled every `intervalSeconds` by a BullMQ job scheduler. */
export interface FeedSource {
  id: string;
  format: FeedFormat;
  url: string;
  intervalSeconds: number;
  /**
   * The document lists every current event of the source (USGS and GDACS
   * summaries, a CAP feed): an active event missing from a good pull is
   * closed. Turn off for sources that publish only what is new.
   */
  closeVanished: boolean;
}

class FeedSourceInput {
  @Matches(/^[a-z0-9][a-z0-9._-]{0,63}$/, { message: 'id must be 1-64 lowercase letters, digits, ".", "_" or "-"' })
  id!: string;

  @IsIn(FEED_FORMATS, { message: `format must be one of ${FEED_FORMATS.join(', ')}` })
  format!: FeedFormat;

  @IsString()
  @Matches(/^https?:\/\/\S+$/, { message: 'url must be an http(s) URL' })
  url!: string;

  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(7 * 24 * 3600)
  intervalSeconds?: number;

  @IsOptional()
  @IsBoolean()
  closeVanished?: boolean;
}

export class FeedConfigError extends Error {}

const DEFAULT_INTERVAL_SECONDS = 300;

/** Parses and validates the FEEDS JSON; throws one `FeedConfigError` naming every problem. */
export function parseFeedSources(json: string, origin = 'FEEDS'): FeedSource[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new FeedConfigError(`${origin} is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(raw)) throw new FeedConfigError(`${origin} must be a JSON array of feed sources`);
  const problems: string[] = [];
  const seen = new Set<string>();
  const sources = raw.map((entry, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${origin}[${i}] must be an object`);
      return null;
    }
    const input = plainToInstance(FeedSourceInput, entry);
    const errors = validateSync(input, { whitelist: true, forbidNonWhitelisted: true });
    for (const e of errors) {
      const messages = Object.values(e.constraints ?? {});
      problems.push(`${origin}[${i}].${e.property}: ${messages.join(', ') || 'is not allowed'}`);
    }
    if (errors.length) return null;
    if (seen.has(input.id)) problems.push(`${origin}[${i}].id: "${input.id}" is used twice`);
    seen.add(input.id);
    return {
      id: input.id,
      format: input.format,
      url: input.url,
      intervalSeconds: input.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS,
      closeVanished: input.closeVanished ?? true,
    } satisfies FeedSource;
  });
  if (problems.length) throw new FeedConfigError(problems.join('; '));
  return sources as FeedSource[];
}
