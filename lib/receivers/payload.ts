/**
 * Reading a verified body. Only called after the sender's check passed, so everything thrown here
 * is about an authentic request ferry cannot act on (400), never about who sent it. Messages name
 * the field that is wrong, never the values sent.
 */
import type * as z from 'zod';
import { ReceiverPayloadError } from './receiver-handler.ts';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The body as UTF-8 text; a body that is not is malformed. */
export function bodyText(body: Uint8Array, sender: string): string {
  try {
    return UTF8.decode(body);
  } catch (error) {
    throw new ReceiverPayloadError(`${sender}: the body is not UTF-8 text`, {
      cause: error,
      data: { sender },
    });
  }
}

/** The body parsed as JSON. */
export function parseJson(text: string, sender: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ReceiverPayloadError(`${sender}: the body is not JSON`, { cause: error, data: { sender } });
  }
}

/** A value checked against the shape the sender documents; the first mismatch names its path. */
export function parsePayload<S extends z.ZodType>(schema: S, value: unknown, sender: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map(String).join('.') || '(the payload)';
  throw new ReceiverPayloadError(`${sender}: ${path}: ${issue?.message ?? 'unexpected payload'}`, {
    data: { sender, path },
  });
}

/** The body as JSON of the documented shape: the usual three steps in one. */
export function parseJsonBody<S extends z.ZodType>(schema: S, body: Uint8Array, sender: string): z.output<S> {
  return parsePayload(schema, parseJson(bodyText(body, sender), sender), sender);
}
