/**
 * Bad config is reported whole: every problem of a load, each pointing at a file, a document, an
 * object and a field, so one edit-and-retry fixes them all. Issues never quote a Secret's values;
 * messages are built from field names and the schema, not from the data.
 */
import { TerminalError } from '../errors.ts';

export interface ConfigIssue {
  /** Path relative to the config directory. */
  file: string;
  /** 0-based index of the YAML document within the file. */
  document: number;
  /** `Kind/namespace/name`, when the document got far enough to have one. */
  object?: string;
  /** Field path such as `spec.sourceRef.name` or `spec.dependsOn[0].name`; empty for the whole document. */
  path: string;
  message: string;
}

/** One line per issue: `file#doc Kind/ns/name spec.field: message`. */
export function formatIssue(issue: ConfigIssue): string {
  const where = [`${issue.file}#${issue.document}`, issue.object, issue.path]
    .filter((part) => part)
    .join(' ');
  return `${where}: ${issue.message}`;
}

/** The config directory does not load; nothing of it is used until every issue is fixed. */
export class ConfigError extends TerminalError {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(`invalid config (${count}):\n${issues.map(formatIssue).join('\n')}`, { data: { issues } });
    this.issues = issues;
  }

  toJSON(): { name: string; message: string; issues: ConfigIssue[] } {
    return { name: this.name, message: this.message, issues: this.issues };
  }
}
