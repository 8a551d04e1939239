import type { KubernetesObject } from '@kubernetes/client-node';

/** Flux's three outcomes of a health check, as kstatus computes them (Current, InProgress, Failed). */
export type HealthStatus = 'healthy' | 'progressing' | 'failed';

export interface Health {
  status: HealthStatus;
  reason: string;
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

type Fields = Record<string, unknown>;

function fields(value: unknown): Fields {
  return typeof value === 'object' && value !== null ? (value as Fields) : {};
}

function num(value: unknown, fallback = 0): number {
  return typeof value === 'number' ? value : fallback;
}

function conditionOf(status: Fields, type: string): Condition | undefined {
  const conditions = Array.isArray(status.conditions) ? (status.conditions as Condition[]) : [];
  return conditions.find((c) => c.type === type);
}

const healthy = (reason: string): Health => ({ status: 'healthy', reason });
const progressing = (reason: string): Health => ({ status: 'progressing', reason });
const failed = (reason: string): Health => ({ status: 'failed', reason });

function deploymentHealth(spec: Fields, status: Fields): Health {
  const replicas = num(spec.replicas, 1);
  const progress = conditionOf(status, 'Progressing');
  if (progress?.reason === 'ProgressDeadlineExceeded')
    return failed(progress.message || 'progress deadline exceeded');
  if (num(status.updatedReplicas) < replicas)
    return progressing(`updated replicas: ${num(status.updatedReplicas)}/${replicas}`);
  if (num(status.replicas) > num(status.updatedReplicas))
    return progressing(`pending termination: ${num(status.replicas) - num(status.updatedReplicas)}`);
  if (num(status.availableReplicas) < replicas)
    return progressing(`available replicas: ${num(status.availableReplicas)}/${replicas}`);
  return healthy(`deployment rolled out: ${replicas} replicas available`);
}

function statefulSetHealth(spec: Fields, status: Fields): Health {
  const replicas = num(spec.replicas, 1);
  if (num(status.readyReplicas) < replicas)
    return progressing(`ready replicas: ${num(status.readyReplicas)}/${replicas}`);
  const strategy = fields(spec.updateStrategy).type ?? 'RollingUpdate';
  if (strategy === 'RollingUpdate' && num(status.updatedReplicas) < replicas)
    return progressing(`updated replicas: ${num(status.updatedReplicas)}/${replicas}`);
  if (
    strategy === 'RollingUpdate' &&
    status.updateRevision !== undefined &&
    status.currentRevision !== status.updateRevision
  ) {
    return progressing(`waiting for revision ${String(status.updateRevision)}`);
  }
  return healthy(`statefulset rolled out: ${replicas} replicas ready`);
}

function daemonSetHealth(status: Fields): Health {
  const desired = num(status.desiredNumberScheduled);
  if (num(status.updatedNumberScheduled) < desired)
    return progressing(`updated pods: ${num(status.updatedNumberScheduled)}/${desired}`);
  if (num(status.numberAvailable) < desired)
    return progressing(`available pods: ${num(status.numberAvailable)}/${desired}`);
  return healthy(`daemonset rolled out: ${desired} pods available`);
}

function jobHealth(status: Fields): Health {
  const failure = conditionOf(status, 'Failed');
  if (failure?.status === 'True') return failed(failure.message || failure.reason || 'job failed');
  if (conditionOf(status, 'Complete')?.status === 'True') return healthy('job completed');
  return progressing('job running');
}

/**
 * The health of one live object from its status alone, one look and no waiting: the caller
 * looks again later. Workload kinds are judged by their rollout, Jobs by completion, anything
 * with a Ready condition by it, and everything else is healthy once it exists.
 */
export function healthOf(object: KubernetesObject): Health {
  const { spec, status, metadata } = object as KubernetesObject & { spec?: unknown; status?: unknown };
  const s = fields(status);
  const generation = metadata?.generation;
  const group = (object.apiVersion ?? '').split('/')[0];
  const workload = group === 'apps' && ['Deployment', 'StatefulSet', 'DaemonSet'].includes(object.kind ?? '');
  if (
    (workload || s.observedGeneration !== undefined) &&
    generation !== undefined &&
    num(s.observedGeneration, -1) < generation
  ) {
    return progressing(`generation ${generation} not yet observed`);
  }
  if (workload && object.kind === 'Deployment') return deploymentHealth(fields(spec), s);
  if (workload && object.kind === 'StatefulSet') return statefulSetHealth(fields(spec), s);
  if (workload && object.kind === 'DaemonSet') return daemonSetHealth(s);
  if (group === 'batch' && object.kind === 'Job') return jobHealth(s);
  const ready = conditionOf(s, 'Ready');
  if (ready?.status === 'True') return healthy(ready.message || 'ready');
  if (ready?.status === 'False') {
    const stalled = conditionOf(s, 'Stalled')?.status === 'True';
    if (ready.reason === 'Progressing' && !stalled) return progressing(ready.message || 'not ready yet');
    return failed(ready.message || ready.reason || 'not ready');
  }
  if (ready) return progressing(ready.message || 'readiness unknown');
  return healthy('exists');
}
