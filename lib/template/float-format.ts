/**
 * Go's strconv float formatting ('e', 'f', 'g'), digit for digit. JavaScript's toFixed rounds ties
 * away from zero where Go rounds the exact binary value half to even (`%.0f` of 2.5 is "2" in
 * Go), so fixed precisions work on the exact decimal expansion of the double; the shortest form
 * comes from JavaScript, whose shortest round-trip digits are the same as Go's.
 */

interface Digits {
  /** Significant digits without trailing zeros; empty for zero. */
  digits: string;
  /** Position of the decimal point relative to the first digit. */
  dp: number;
}

/** Exact decimal expansion of a finite positive double. */
function exactDigits(x: number): Digits {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  const exponentBits = (high >>> 20) & 0x7ff;
  let mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(low);
  let exponent = -1074;
  if (exponentBits !== 0) {
    mantissa |= 1n << 52n;
    exponent = exponentBits - 1075;
  }
  const text =
    exponent >= 0
      ? (mantissa << BigInt(exponent)).toString()
      : (mantissa * 5n ** BigInt(-exponent)).toString();
  const dp = exponent >= 0 ? text.length : text.length + exponent;
  return trim({ digits: text, dp });
}

function shortestDigits(x: number): Digits {
  const [mantissa = '0', exp = '0'] = x.toExponential().split('e');
  return trim({ digits: mantissa.replace('.', ''), dp: Number(exp) + 1 });
}

function trim(d: Digits): Digits {
  const digits = d.digits.replace(/0+$/, '');
  return digits ? { digits, dp: d.dp } : { digits: '', dp: 0 };
}

/** Rounds to `nd` digits, half to even on the exact value, as Go's decimal.Round. */
function round(d: Digits, nd: number): Digits {
  if (nd < 0 || nd >= d.digits.length) return d;
  const next = d.digits[nd] as string;
  const exactHalf = next === '5' && nd + 1 === d.digits.length;
  const up = exactHalf ? nd > 0 && Number(d.digits[nd - 1]) % 2 === 1 : next >= '5';
  if (!up) return trim({ digits: d.digits.slice(0, nd), dp: d.dp });
  const kept = d.digits.slice(0, nd).split('');
  let i = nd - 1;
  while (i >= 0 && kept[i] === '9') i--;
  if (i < 0) return { digits: '1', dp: d.dp + 1 };
  kept[i] = String(Number(kept[i]) + 1);
  return trim({ digits: kept.slice(0, i + 1).join(''), dp: d.dp });
}

function digitAt(d: Digits, i: number): string {
  return i >= 0 && i < d.digits.length ? (d.digits[i] as string) : '0';
}

function formatE(d: Digits, prec: number, e: 'e' | 'E'): string {
  let out = digitAt(d, 0);
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) out += digitAt(d, i);
  }
  const exp = d.digits === '' ? 0 : d.dp - 1;
  const abs = Math.abs(exp);
  return `${out}${e}${exp < 0 ? '-' : '+'}${abs < 10 ? `0${abs}` : abs}`;
}

function formatF(d: Digits, prec: number): string {
  let out = '';
  if (d.dp > 0) for (let i = 0; i < d.dp; i++) out += digitAt(d, i);
  else out = '0';
  if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) out += digitAt(d, d.dp + i);
  }
  return out;
}

/**
 * strconv.FormatFloat(x, verb, prec, 64) for verbs e, E, f, g, G with prec -1 for the shortest
 * representation. The result carries a sign only when negative; NaN and infinities are Go's
 * `NaN`, `+Inf`, `-Inf`.
 */
export function formatFloat(x: number, verb: 'e' | 'E' | 'f' | 'g' | 'G', prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const negative = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  const sign = negative ? '-' : '';
  const shortest = prec < 0;
  let d: Digits = abs === 0 ? { digits: '', dp: 0 } : shortest ? shortestDigits(abs) : exactDigits(abs);
  if (verb === 'e' || verb === 'E') {
    if (!shortest) d = round(d, prec + 1);
    return sign + formatE(d, shortest ? Math.max(d.digits.length - 1, 0) : prec, verb);
  }
  if (verb === 'f') {
    if (!shortest) d = round(d, d.dp + prec);
    return sign + formatF(d, shortest ? Math.max(d.digits.length - d.dp, 0) : prec);
  }
  let p = prec;
  if (!shortest) {
    if (p === 0) p = 1;
    d = round(d, p);
  }
  const nd = d.digits.length;
  let eprec = shortest ? 6 : p;
  if (!shortest && eprec > nd && nd >= d.dp) eprec = nd;
  if (shortest) p = nd;
  const exp = d.dp - 1;
  if (exp < -4 || exp >= eprec) {
    return sign + formatE(d, Math.min(p, nd) - 1, verb === 'g' ? 'e' : 'E');
  }
  return sign + formatF(d, Math.max((p > d.dp ? nd : p) - d.dp, 0));
}
