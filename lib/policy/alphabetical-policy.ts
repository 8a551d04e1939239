/**
 * The alphabetical policy: the last tag in the chosen order. Flux sorts with Go's sort.Strings (byte,
 * that is code point, order) and takes the first of the reversed list; the maximum (asc) or minimum
 * (desc) is the same tag without sorting. With a filter, bestAccepted asks it about as few tags as
 * possible (a registry lists tags sorted, so nearly every tag beats the one before it).
 */
import { bestAccepted } from './best-accepted.ts';
import { compareGoStrings } from './go-string-order.ts';
import type { RankingPolicy } from './policy.ts';

export function alphabeticalPolicy(order: 'asc' | 'desc'): RankingPolicy {
  const sign = order === 'asc' ? 1 : -1;
  return {
    latest(tags) {
      let best: string | undefined;
      for (const tag of tags) {
        if (best === undefined || compareGoStrings(tag, best) * sign > 0) best = tag;
      }
      return best;
    },
    latestAccepted(tags, accept) {
      return bestAccepted([...tags], (a, b) => compareGoStrings(a, b) * sign > 0, accept);
    },
  };
}
