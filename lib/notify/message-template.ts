/**
 * Alert message templates: a Go text/template (the engine of commit messages) rendered over the
 * event, with the field names of Flux's Event struct so that a template reads as a Flux user
 * expects: `{{ .InvolvedObject.Kind }}/{{ .InvolvedObject.Name }}: {{ .Message }}`,
 * `{{ .Metadata.revision }}`, `{{ .Severity }}`, `{{ .Reason }}`, `{{ .Timestamp }}`.
 *
 * The data are classes (Go structs), so a misspelt field is an error, as in Go; `.Metadata` is a
 * map, so a missing key prints `<no value>` and `index .Metadata "key"` gives "".
 */
import type { Alert } from '../config/index.ts';
import { MESSAGE_TEMPLATE_NAME } from '../config/schemas/alert.ts';
import type { FluxEvent } from '../jobs/event.ts';
import type { Template } from '../template/index.ts';
import { parseTemplate, ZERO_VALUE } from '../template/index.ts';

/** corev1.ObjectReference, fields in Go's order. */
class ObjectReference {
  Kind: string;
  Namespace: string;
  Name: string;
  UID = '';
  APIVersion: string;
  ResourceVersion = '';
  FieldPath = '';

  constructor(o: FluxEvent['involvedObject']) {
    this.Kind = o.kind;
    this.Namespace = o.namespace;
    this.Name = o.name;
    this.APIVersion = o.apiVersion ?? '';
  }
}

/** metav1.Time: prints as Go's time.Time does (`2026-03-01 12:00:00 +0000 UTC`). */
class Time {
  readonly #ms: number;

  constructor(rfc3339: string) {
    this.#ms = Date.parse(rfc3339);
  }

  String(): string {
    if (Number.isNaN(this.#ms)) return '0001-01-01 00:00:00 +0000 UTC';
    const iso = new Date(this.#ms).toISOString();
    const fraction = iso.slice(19, 23).replace(/\.?0+$/, '');
    return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction} +0000 UTC`;
  }

  /** Seconds since the epoch, as Go's Time.Unix(). */
  Unix(): number {
    return Number.isNaN(this.#ms) ? -62135596800 : Math.floor(this.#ms / 1000);
  }
}

/** eventv1.Event, fields in Go's order. */
class Event {
  InvolvedObject: ObjectReference;
  Severity: string;
  Timestamp: Time;
  Message: string;
  Reason: string;
  Metadata: Record<string | typeof ZERO_VALUE, string>;
  ReportingController: string;
  ReportingInstance = '';

  constructor(e: FluxEvent) {
    this.InvolvedObject = new ObjectReference(e.involvedObject);
    this.Severity = e.severity;
    this.Timestamp = new Time(e.timestamp);
    this.Message = e.message;
    this.Reason = e.reason;
    this.Metadata = Object.assign(Object.fromEntries(Object.entries(e.metadata)), { [ZERO_VALUE]: '' });
    this.ReportingController = e.reportingController;
  }
}

const parsed = new WeakMap<Alert, Template | null>();

/** The Alert's parsed messageTemplate (once per loaded Alert), or undefined when it has none. */
export function messageTemplateOf(alert: Alert): Template | undefined {
  let template = parsed.get(alert);
  if (template === undefined) {
    const text = alert.spec.messageTemplate;
    template = text === undefined ? null : parseTemplate(text, MESSAGE_TEMPLATE_NAME);
    parsed.set(alert, template);
  }
  return template ?? undefined;
}

/** Renders a message template over the event; throws TemplateError when the template fails. */
export function renderMessage(template: Template, event: FluxEvent): string {
  return template.render(new Event(event));
}
