/**
 * Kind names as users type them: the Flux kind in any case, its plural, or the short names the
 * flux command uses (`ks`, `gitrepo`, ...).
 */
import type { FluxKind } from '../config/index.ts';
import { FLUX_KINDS } from '../config/index.ts';

const ALIASES: Record<string, FluxKind> = {
  ks: 'Kustomization',
  gitrepo: 'GitRepository',
  gitrepos: 'GitRepository',
  source: 'GitRepository',
  sources: 'GitRepository',
  imagerepo: 'ImageRepository',
  imagerepos: 'ImageRepository',
  imageupdate: 'ImageUpdateAutomation',
  imageupdates: 'ImageUpdateAutomation',
  'alert-provider': 'Provider',
  'alert-providers': 'Provider',
};

export class UnknownKindError extends Error {
  constructor(input: string) {
    super(
      `unknown kind "${input}"; one of: ${FLUX_KINDS.join(', ')} (or plural, or ks, gitrepo, imagerepo, imageupdate)`,
    );
    this.name = 'UnknownKindError';
  }
}

export function resolveKind(input: string): FluxKind {
  const lower = input.toLowerCase();
  const alias = ALIASES[lower];
  if (alias) return alias;
  for (const kind of FLUX_KINDS) {
    const k = kind.toLowerCase();
    const plural = k.endsWith('y') ? `${k.slice(0, -1)}ies` : `${k}s`;
    if (lower === k || lower === plural) return kind;
  }
  throw new UnknownKindError(input);
}
