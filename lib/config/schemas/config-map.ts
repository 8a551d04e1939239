/**
 * Core v1 ConfigMap: the values a Kustomization's `postBuild.substituteFrom` may name. Only `data`
 * becomes values, as Flux substitutes from `data` alone; `binaryData` is checked and kept out.
 */
import * as z from 'zod';
import { base64Value, dataKey, metadataSchema } from './common.ts';

export const configMapDocumentSchema = z
  .strictObject({
    apiVersion: z.literal('v1'),
    kind: z.literal('ConfigMap'),
    metadata: metadataSchema,
    immutable: z.boolean().optional(),
    data: z.record(dataKey, z.string()).default({}),
    binaryData: z.record(dataKey, base64Value).optional(),
  })
  .transform(({ apiVersion, kind, metadata, data }) => ({ apiVersion, kind, metadata, values: { ...data } }));
