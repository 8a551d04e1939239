/**
 * `WWW-Authenticate` challenges (RFC 9110 §11.6.1), as registries send them:
 * `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"`.
 * A header may hold several challenges, and a quoted scope may hold commas (`pull,push`), so it is
 * tokenised rather than split.
 */

export interface AuthChallenge {
  /** Lower case: `bearer`, `basic`. */
  scheme: string;
  /** Parameter names in lower case; values unquoted. */
  params: Record<string, string>;
}

/** Every challenge of a `WWW-Authenticate` header, in order; [] for an empty or absent header. */
export function parseAuthChallenges(header: string | null | undefined): AuthChallenge[] {
  const text = header ?? '';
  const challenges: AuthChallenge[] = [];
  let current: AuthChallenge | undefined;
  let i = 0;
  const skip = (chars: RegExp) => {
    while (i < text.length && chars.test(text[i]!)) i++;
  };
  const readToken = () => {
    const start = i;
    while (i < text.length && !/[\s=,"]/.test(text[i]!)) i++;
    return text.slice(start, i);
  };
  const readValue = () => {
    if (text[i] !== '"') return readToken();
    let value = '';
    for (i++; i < text.length && text[i] !== '"'; i++)
      value += text[i] === '\\' ? (text[++i] ?? '') : text[i];
    i++;
    return value;
  };
  while (i < text.length) {
    skip(/[\s,]/);
    const token = readToken();
    if (token === '') {
      if (i < text.length) i++;
      continue;
    }
    skip(/[ \t]/);
    if (text[i] === '=' && current !== undefined) {
      i++;
      skip(/[ \t]/);
      current.params[token.toLowerCase()] = readValue();
    } else if (text[i] === '=') {
      skip(/=/);
    } else {
      current = { scheme: token.toLowerCase(), params: {} };
      challenges.push(current);
    }
  }
  return challenges;
}

/**
 * The challenge ferry answers: Bearer (with a realm) before Basic, since a registry offering both
 * prefers tokens; undefined when it offers neither.
 */
export function pickAuthChallenge(header: string | null | undefined): AuthChallenge | undefined {
  const challenges = parseAuthChallenges(header);
  return (
    challenges.find((c) => c.scheme === 'bearer' && c.params.realm !== undefined) ??
    challenges.find((c) => c.scheme === 'basic')
  );
}
