export {
  Change as TemplateChange,
  commitTemplateData,
  NamespacedName,
  ObjectIdentifier,
  Result as TemplateResult,
  TemplateData,
} from './commit-template-data.ts';
export { CHART_IMAGE } from './helm-values.ts';
export { isManifestPath, type ManifestFile } from './manifest-file.ts';
export {
  applyEdits,
  canBePlain,
  decodeScalar,
  readsAsNonString,
  renderScalar,
  type ScalarSpan,
  type ScalarStyle,
  type TextEdit,
} from './scalar-edit.ts';
export {
  type LatestImage,
  parseSetterMarker,
  SETTER_TOKEN,
  type SetterField,
  type SetterMarker,
  setterValue,
} from './setter-marker.ts';
export { type UpdateInputs, type UpdateOutput, updateFiles } from './update-files.ts';
export {
  type Change,
  isEmptyResult,
  type LockedWorkload,
  type ObjectChanges,
  type ObjectId,
  type ProblemFile,
  type SkippedMarker,
  type SkipReason,
  type UpdateResult,
} from './update-result.ts';
export {
  DEFAULT_TAG_FILTER,
  parseTagFilter,
  readV1Policy,
  type TagFilter,
  type TagFilterKind,
  tagFilterFor,
  V1_AUTOMATION_TOKENS,
  V1_LEGACY_PREFIX,
  V1_PREFIX,
  type V1Policy,
} from './v1-policy.ts';
export { findV1Workloads, type V1Object, type V1Target } from './v1-workloads.ts';
