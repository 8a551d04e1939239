export { type DigestReflectionPolicy, type RecordedRef, shouldReflectDigest } from './digest-reflection.ts';
export { createPolicy, type FilterTags, type Policy, type PolicyChoice } from './policy.ts';
export { PolicyError } from './policy-error.ts';
export { isV1Semver, type V1Candidate, type V1TagFilter, v1TagFilter } from './v1-tag-filter.ts';
