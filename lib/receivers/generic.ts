/**
 * The `generic` receiver: no payload, no signature; knowing the path is the authentication. Any
 * POST asks for a reconcile of the Receiver's resources.
 */
import type { Job } from '../jobs/job.ts';
import { jobForObject } from '../jobs/targets.ts';
import type { ReceiverHandler } from './receiver-handler.ts';
import { resolveResources } from './resources.ts';

export const genericReceiver: ReceiverHandler = ({ receiver, config }) => {
  const { objects, unmatched } = resolveResources(receiver, config);
  const jobs = objects.map((o) => jobForObject(o, config)).filter((j): j is Job => j !== undefined);
  const skipped = unmatched.length > 0 ? `; nothing matched ${unmatched.join(', ')}` : '';
  return { jobs, message: `reconcile requested for ${jobs.length} object(s)${skipped}` };
};
