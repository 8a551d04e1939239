/**
 * Core v1 Secret: credentials the Flux objects refer to. Values are decoded once, here, into one
 * string map; nothing derived from them ever goes into an issue message.
 */
import * as z from 'zod';
import { base64Value, dataKey, decodeBase64, metadataSchema } from './common.ts';

export const secretDocumentSchema = z
  .strictObject({
    apiVersion: z.literal('v1'),
    kind: z.literal('Secret'),
    metadata: metadataSchema,
    type: z.string().default('Opaque'),
    immutable: z.boolean().optional(),
    data: z.record(dataKey, base64Value).default({}),
    stringData: z.record(dataKey, z.string()).default({}),
  })
  .transform(({ apiVersion, kind, metadata, type, data, stringData }) => {
    const values: Record<string, string> = {};
    for (const [key, encoded] of Object.entries(data)) {
      values[key] = decodeBase64(encoded).toString('utf8');
    }
    // Kubernetes merges stringData over data on write, so stringData wins a shared key.
    Object.assign(values, stringData);
    return { apiVersion, kind, metadata, type, values };
  });
