/** The longest duration any input may state, in days (ten years): buffers, lead times, recovery, event durations. */
export const MAX_DAYS = 3650;
