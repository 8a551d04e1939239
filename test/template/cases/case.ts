/**
 * Labelled template cases. The test files assert them against ferry's renderer; go-oracle/check.ts
 * runs the same cases through Go's text/template (with Flux's function set) to confirm that each
 * expected output is Go's, byte for byte.
 */
import { type FluxSpec, fluxTemplateData } from './flux-data.ts';

export interface RenderCase {
  label: string;
  template: string;
  /** JSON-shaped data: objects are Go maps, integral numbers Go ints. */
  data?: unknown;
  /** Flux's commit template data instead of `data`. */
  flux?: FluxSpec;
  expected: string;
  /** Why Go 1.19 with Flux's functions cannot confirm this case, when it cannot. */
  notInGo?: string;
}

export interface ErrorCase {
  label: string;
  template: string;
  data?: unknown;
  flux?: FluxSpec;
  phase: 'parse' | 'render';
  /** The whole message, position included. */
  message: string;
  /** Why Go reports this differently (another phase, or not at all), when it does. */
  notInGo?: string;
}

export function dataOf(testCase: { data?: unknown; flux?: FluxSpec }): unknown {
  return testCase.flux ? fluxTemplateData(testCase.flux) : testCase.data;
}
