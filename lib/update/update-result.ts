/**
 * What an update changed, shaped like Flux's update result so the commit message template gets
 * the same data: `.Changed.FileChanges` (file → object → changes), `.Changed.Changes` (every
 * distinct change) and `.Changed.Objects` (object → changes, whatever the file). An empty result
 * means there is nothing to commit.
 */

/** An object in a manifest, identified as Flux's ObjectIdentifier does. */
export interface ObjectId {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** Absent when the manifest leaves it to the cluster's default. */
  readonly namespace?: string;
}

export interface Change {
  readonly oldValue: string;
  readonly newValue: string;
  /** The marker's value (`ns:name`, `ns:name:tag`, ...) or, for a Flux v1 workload, `fluxcd.io/tag.<container>`. */
  readonly setter: string;
}

export type ObjectChanges = ReadonlyMap<ObjectId, readonly Change[]>;

export type SkipReason =
  /** The marker names a policy with no latest image among the inputs. */
  | 'no-latest'
  /** A `:digest` marker whose policy reflects no digest. */
  | 'no-digest'
  /** The marker's value is not `namespace:name` with an optional `:tag`, `:name` or `:digest`. */
  | 'invalid-setter'
  /** The marker follows a block scalar, which the updater does not rewrite. */
  | 'block-scalar';

/** A marker that was left as it is, and why. */
export interface SkippedMarker {
  readonly file: string;
  /** 1-based line of the marker. */
  readonly line: number;
  readonly setter: string;
  readonly reason: SkipReason;
}

/** A file that passed screening but could not be read: not UTF-8, or (for v1 workloads) not YAML. */
export interface ProblemFile {
  readonly file: string;
  readonly reason: 'not-utf8' | 'unparsable';
}

/** A Flux v1 automated workload that automation may not change. */
export interface LockedWorkload {
  readonly file: string;
  readonly object: ObjectId;
  readonly container: string;
  readonly message?: string;
  readonly user?: string;
  /** The reference automation would have written, when one was asked for. */
  readonly requested?: string;
}

export interface UpdateResult {
  readonly fileChanges: ReadonlyMap<string, ObjectChanges>;
  readonly changes: readonly Change[];
  readonly objects: ObjectChanges;
  readonly skipped: readonly SkippedMarker[];
  readonly locked: readonly LockedWorkload[];
  readonly problems: readonly ProblemFile[];
}

/** True when the update changed nothing, so no commit is due. */
export function isEmptyResult(result: UpdateResult): boolean {
  return result.changes.length === 0;
}

export interface ObjectIdInput {
  apiVersion?: string | undefined;
  kind?: string | undefined;
  name?: string | undefined;
  namespace?: string | undefined;
}

/**
 * Collects changes per file and object. Object ids are interned, so one object found in two files
 * is one map key in `objects`, where its changes are concatenated (Flux keeps one file's, at random).
 */
export class UpdateResultBuilder {
  private readonly files = new Map<string, Map<ObjectId, Change[]>>();
  private readonly ids = new Map<string, ObjectId>();
  private readonly skipped: SkippedMarker[] = [];
  private readonly locked: LockedWorkload[] = [];
  private readonly problems: ProblemFile[] = [];

  objectId(input: ObjectIdInput): ObjectId {
    const apiVersion = input.apiVersion ?? '';
    const kind = input.kind ?? '';
    const name = input.name ?? '';
    const key = `${apiVersion}\0${kind}\0${input.namespace ?? '\u0001'}\0${name}`;
    let id = this.ids.get(key);
    if (!id) {
      id =
        input.namespace === undefined
          ? { apiVersion, kind, name }
          : { apiVersion, kind, name, namespace: input.namespace };
      this.ids.set(key, id);
    }
    return id;
  }

  addChange(file: string, object: ObjectId, change: Change): void {
    let objects = this.files.get(file);
    if (!objects) {
      objects = new Map();
      this.files.set(file, objects);
    }
    const changes = objects.get(object);
    if (changes) changes.push(change);
    else objects.set(object, [change]);
  }

  skip(marker: SkippedMarker): void {
    this.skipped.push(marker);
  }

  lock(workload: LockedWorkload): void {
    this.locked.push(workload);
  }

  problem(problem: ProblemFile): void {
    this.problems.push(problem);
  }

  build(): UpdateResult {
    const paths = [...this.files.keys()].sort();
    const fileChanges = new Map<string, ObjectChanges>();
    const objects = new Map<ObjectId, Change[]>();
    const changes: Change[] = [];
    const seen = new Set<string>();
    for (const path of paths) {
      const perObject = this.files.get(path) as Map<ObjectId, Change[]>;
      fileChanges.set(path, perObject);
      for (const [object, list] of perObject) {
        const merged = objects.get(object);
        if (merged) merged.push(...list);
        else objects.set(object, [...list]);
        for (const change of list) {
          const key = `${change.oldValue}\0${change.newValue}\0${change.setter}`;
          if (!seen.has(key)) {
            seen.add(key);
            changes.push(change);
          }
        }
      }
    }
    return {
      fileChanges,
      changes,
      objects,
      skipped: this.skipped,
      locked: this.locked,
      problems: this.problems,
    };
  }
}
