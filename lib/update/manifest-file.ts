/**
 * A file handed to the updater: its path in the repository and its bytes, untouched. Like Flux,
 * the updater reads only `.yaml` and `.yml` files, whatever else the caller passes.
 */

export interface ManifestFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

const MANIFEST_PATH = /\.ya?ml$/;

/** Whether the updater reads a file at this path. */
export function isManifestPath(path: string): boolean {
  return MANIFEST_PATH.test(path);
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The file's text, byte order mark kept, or undefined when it is not UTF-8: valid UTF-8 encodes
 * back to the same bytes, so edits made on the text change no other byte.
 */
export function manifestText(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Whether the bytes contain any of the tokens, without decoding them. */
export function bytesContain(bytes: Uint8Array, tokens: readonly string[]): boolean {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return tokens.some((token) => buffer.includes(token));
}
