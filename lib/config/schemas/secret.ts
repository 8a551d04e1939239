/**
 * Core v1 Secret: credentials the Flux objects refer to. Values are decoded once, here, into one
 * string map; nothing derived from them ever goes into an issue message.
 */
import * as z from 'zod';
import { metadataSchema } from './common.ts';

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
// Go's base64.StdEncoding, which decodes a Secret's []byte fields, skips line breaks.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const secretKey = z
  .string()
  .max(253, 'must be at most 253 characters')
  .regex(SECRET_KEY, 'keys must consist of letters, digits, "-", "_" and "."');

export const secretDocumentSchema = z
  .strictObject({
    apiVersion: z.literal('v1'),
    kind: z.literal('Secret'),
    metadata: metadataSchema,
    type: z.string().default('Opaque'),
    immutable: z.boolean().optional(),
    data: z
      .record(
        secretKey,
        z.string().refine((value) => BASE64.test(value.replace(/[\r\n]/g, '')), 'is not valid base64'),
      )
      .default({}),
    stringData: z.record(secretKey, z.string()).default({}),
  })
  .transform(({ apiVersion, kind, metadata, type, data, stringData }) => {
    const values: Record<string, string> = {};
    for (const [key, encoded] of Object.entries(data)) {
      values[key] = Buffer.from(encoded.replace(/[\r\n]/g, ''), 'base64').toString('utf8');
    }
    // Kubernetes merges stringData over data on write, so stringData wins a shared key.
    Object.assign(values, stringData);
    return { apiVersion, kind, metadata, type, values };
  });
