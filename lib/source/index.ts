export { type FileTree, fileTreeOf } from './file-tree.ts';
export {
  baseIgnoreRules,
  DEFAULT_EXCLUDES,
  IGNORE_FILE,
  type IgnoreRule,
  isIgnored,
  matchesIgnore,
  parseIgnoreRules,
  VCS_EXCLUDES,
} from './ignore-rules.ts';
export {
  type ArtifactInclude,
  type ArtifactRead,
  type ArtifactSource,
  type ReadArtifactOptions,
  type ReadLocation,
  readArtifact,
} from './read-artifact.ts';
export { resolveSourceRef, type SourceRevision } from './resolve-source-ref.ts';
export { SourceRefError } from './source-errors.ts';
