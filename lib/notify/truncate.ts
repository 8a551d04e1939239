/**
 * Receivers refuse a message over their limits; ferry shortens it instead and says so with a marker,
 * because a truncated alert is worth more than a lost one. Lengths are UTF-16 code units (what
 * `string.length` counts), which is never less than what Slack, Discord or GitHub count, and a cut
 * never splits a surrogate pair. Pure.
 */

/** Appended to anything ferry shortened. */
export const TRUNCATION_MARKER = '… [truncated]';

/** `text` if it fits in `max`, else its start and the marker (just `…` when even the marker does not fit). */
export function truncate(text: string, max: number, marker: string = TRUNCATION_MARKER): string {
  if (text.length <= max) return text;
  const tail = marker.length < max ? marker : '…'.slice(0, max);
  return cutAt(text, max - tail.length) + tail;
}

/** The longest prefix of `text` of at most `length` code units that does not end in half a pair. */
function cutAt(text: string, length: number): string {
  let end = Math.max(0, length);
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}
