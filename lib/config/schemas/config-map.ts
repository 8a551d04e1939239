/**
 * Core v1 ConfigMap: the values a Kustomization's `postBuild.substituteFrom` may name. Only `data`
 * becomes values, as Flux substitutes from `data` alone; `binaryData` is checked and kept out.
 */
import * as z from 'zod';
import { metadataSchema } from './common.ts';

const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const configMapKey = z
  .string()
  .max(253, 'must be at most 253 characters')
  .regex(CONFIG_MAP_KEY, 'keys must consist of letters, digits, "-", "_" and "."');

export const configMapDocumentSchema = z
  .strictObject({
    apiVersion: z.literal('v1'),
    kind: z.literal('ConfigMap'),
    metadata: metadataSchema,
    immutable: z.boolean().optional(),
    data: z.record(configMapKey, z.string()).default({}),
    binaryData: z
      .record(
        configMapKey,
        z.string().refine((value) => BASE64.test(value.replace(/[\r\n]/g, '')), 'is not valid base64'),
      )
      .optional(),
  })
  .transform(({ apiVersion, kind, metadata, data }) => ({ apiVersion, kind, metadata, values: { ...data } }));
