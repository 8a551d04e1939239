/**
 * Alert, notification.toolkit.fluxcd.io/v1beta3: which events go to which Provider.
 */
import * as z from 'zod';
import { parseTemplate } from '../../template/index.ts';
import { crossNamespaceObjectReference, goRegex, localObjectReference, stringMap } from './common.ts';

/** The name alert message templates parse under; their errors read `template: alert message:1:5: ...`. */
export const MESSAGE_TEMPLATE_NAME = 'alert message';

/** A Go text/template over the event, parsed now so that a typo fails the load, not the first alert. */
const messageTemplate = z.string().superRefine((text, ctx) => {
  try {
    parseTemplate(text, MESSAGE_TEMPLATE_NAME);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

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
  /**
   * ferry's addition to the v1beta3 API: the text of each notification, rendered over the event
   * with Flux's field names (`.InvolvedObject.Name`, `.Message`, `.Metadata.revision`, ...).
   * Absent, each provider writes its default text.
   */
  messageTemplate: messageTemplate.optional(),
});

export type AlertSpec = z.output<typeof alertSpecSchema>;
