/**
 * What registry webhooks say: "this image got this tag". A hint is never trusted as data: the scan
 * job confirms the tag with one manifest request before it counts. Several hints for one image and
 * tag (an index and its platform manifests, a redelivery) collapse into one scan.
 */
import type { ScanImageJob } from '../jobs/job.ts';
import { canonicalImageName } from '../registry/image-name.ts';

export interface ImageHint {
  /** Any reference form the sender uses (`127.0.0.1:5000/team/app`, `team/app`); canonicalised here. */
  image: string;
  tag: string;
  digest?: string;
}

export function scanJobsForHints(hints: readonly ImageHint[]): ScanImageJob[] {
  const jobs = new Map<string, ScanImageJob>();
  for (const hint of hints) {
    const image = canonicalImageName(hint.image);
    jobs.set(`${image}:${hint.tag}`, { kind: 'scan-image', image, hintTag: hint.tag });
  }
  return [...jobs.values()];
}
