/**
 * Alert, notification.toolkit.fluxcd.io/v1beta3: which events go to which Provider.
 */
import * as z from 'zod';
import { crossNamespaceObjectReference, goRegex, localObjectReference, stringMap } from './common.ts';

export const alertSpecSchema = z.strictObject({
  providerRef: localObjectReference,
  /** `info` lets every event through; `error` only errors. */
  eventSeverity: z.enum(['info', 'error']).default('info'),
  /** The objects whose events count; `*` names and matchLabels select many. */
  eventSources: z.array(crossNamespaceObjectReference),
  /** Go regular expressions over the event message. */
  inclusionList: z.array(goRegex).optional(),
  eventMetadata: stringMap.optional(),
  exclusionList: z.array(goRegex).optional(),
  summary: z.string().max(255, 'must be at most 255 characters').optional(),
  suspend: z.boolean().optional(),
});

export type AlertSpec = z.output<typeof alertSpecSchema>;
