/**
 * Events shaped like Flux's (`fluxcd/pkg/runtime/events.Event`), so that Alerts, providers and
 * anyone reading `ferry events` see what a Flux user expects.
 */
export type EventSeverity = 'info' | 'error';

export interface InvolvedObject {
  kind: string;
  name: string;
  namespace: string;
  apiVersion?: string;
}

export interface FluxEvent {
  involvedObject: InvolvedObject;
  severity: EventSeverity;
  /** A CamelCase reason: ReconciliationSucceeded, ReconciliationFailed, Progressing, ... */
  reason: string;
  message: string;
  /** Flux puts `revision` and controller-specific keys here; values are strings. */
  metadata: Record<string, string>;
  /** RFC 3339. */
  timestamp: string;
  reportingController: string;
}
