/**
 * Splits a config file into its YAML documents. Syntax errors carry the line and column in the
 * file but not the offending text: the file may be a Secret.
 */
import { LineCounter, parseAllDocuments, type YAMLError } from 'yaml';

export interface YamlDocument {
  /** 0-based position in the file, counting empty documents, as a reader counts `---` separators. */
  index: number;
  /** The document as plain data; undefined for an empty document. */
  value: unknown;
}

export interface YamlSyntaxError {
  index: number;
  message: string;
}

/** Every document of a multi-document YAML file, or the syntax errors that stop one from being read. */
export function parseYamlDocuments(content: string): {
  documents: YamlDocument[];
  errors: YamlSyntaxError[];
} {
  const lineCounter = new LineCounter();
  // Core schema plus merge keys, close to what Kubernetes's YAML reader accepts; duplicate keys are errors there too.
  const parsed = parseAllDocuments(content, {
    lineCounter,
    prettyErrors: false,
    merge: true,
    uniqueKeys: true,
  });
  const documents: YamlDocument[] = [];
  const errors: YamlSyntaxError[] = [];
  if (!Array.isArray(parsed)) return { documents, errors };

  parsed.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        errors.push({
          index,
          message: `YAML syntax error at line ${line}, column ${col}: ${withoutInput(error)}`,
        });
      }
      return;
    }
    try {
      // A document of nothing but `---` or comments reads as null: empty, like one with no contents.
      const value = doc.contents === null ? null : doc.toJS({ maxAliasCount: 1000 });
      documents.push({ index, value: value ?? undefined });
    } catch (error) {
      // e.g. "Unresolved alias (the anchor must be set before the alias): name"; the name is input.
      errors.push({ index, message: `YAML error: ${(error as Error).message.split(':')[0]}` });
    }
  });
  return { documents, errors };
}

/** The parser's sentence, minus the one kind that quotes input (an escape inside a quoted value). */
function withoutInput(error: YAMLError): string {
  return error.code === 'BAD_DQ_ESCAPE' ? 'Invalid escape sequence in a double-quoted string' : error.message;
}
