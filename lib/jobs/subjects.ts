/**
 * The objects whose status and events a job's outcome lands on: the one object it reconciles, or,
 * for an image scan, every ImageRepository of that image.
 */
import type { ConfigSet } from '../config/index.ts';
import { canonicalImageName } from '../registry/image-name.ts';
import type { Job, JobObjectKind, Ref } from './job.ts';
import { jobSubject } from './job.ts';
import type { StatusSubject } from './status.ts';

export type JobSubject = { kind: JobObjectKind } & Ref;

export function jobSubjects(job: Job, config: ConfigSet): JobSubject[] {
  if (job.kind === 'scan-image') {
    return config
      .list('ImageRepository')
      .filter((r) => canonicalImageName(r.spec.image) === job.image)
      .map((r) => ({ kind: r.kind, namespace: r.metadata.namespace, name: r.metadata.name }));
  }
  const subject = jobSubject(job);
  return config.get(subject.kind, subject.namespace, subject.name) ? [subject] : [];
}

export function subjectName(subject: StatusSubject): string {
  return `${subject.kind}/${subject.namespace}/${subject.name}`;
}
