/**
 * Durations as Flux writes them: Go's `time.ParseDuration` syntax (`1m30s`, `1.5h`, `300ms`), which is
 * what `metav1.Duration` decodes with. The parser follows Go's algorithm step for step (integer
 * nanoseconds, the same overflow limits, the same float arithmetic for fractions) so that a spec
 * value means to ferry exactly what it means to Flux.
 */
import { TerminalError } from '../errors.ts';

/** A duration string Go would reject; bad config, so terminal. */
export class DurationError extends TerminalError {
  readonly text: string;

  constructor(text: string, reason: string) {
    super(reason, { data: { duration: text } });
    this.text = text;
  }
}

const NANOS_PER_UNIT: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign
  μs: 1_000n, // U+03BC Greek small letter mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MAX_MAGNITUDE = 1n << 63n; // Go accumulates in uint64 and allows exactly this for a negative result.
const NANOS_PER_MS = 1_000_000n;

/**
 * Milliseconds in a Go duration string. Go counts whole nanoseconds, so a value below one millisecond
 * comes back fractional (`1500ns` → 0.0015); a value too large for an int64 of nanoseconds (about 292
 * years) is an error, as in Go. Throws DurationError with Go's wording.
 */
export function parseDuration(text: string): number {
  const ns = parseDurationNanos(text);
  const whole = ns / NANOS_PER_MS;
  return Number(whole) + Number(ns - whole * NANOS_PER_MS) / 1e6;
}

/** The same parse, in exact integer nanoseconds. */
export function parseDurationNanos(text: string): bigint {
  const invalid = () => new DurationError(text, `invalid duration ${quote(text)}`);
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') throw invalid();

  let total = 0n;
  while (rest !== '') {
    if (!(rest[0] === '.' || isDigit(rest[0]))) throw invalid();

    const whole = leadingInt(rest);
    if (whole === undefined) throw invalid();
    const hadWhole = whole.length > 0;
    let value = whole.value;
    rest = rest.slice(whole.length);

    let fraction = 0n;
    let scale = 1;
    let hadFraction = false;
    if (rest.startsWith('.')) {
      rest = rest.slice(1);
      const frac = leadingFraction(rest);
      fraction = frac.value;
      scale = frac.scale;
      hadFraction = frac.length > 0;
      rest = rest.slice(frac.length);
    }
    if (!hadWhole && !hadFraction) throw invalid();

    let unitLength = 0;
    while (unitLength < rest.length && rest[unitLength] !== '.' && !isDigit(rest[unitLength])) unitLength++;
    if (unitLength === 0) throw new DurationError(text, `missing unit in duration ${quote(text)}`);
    const unitName = rest.slice(0, unitLength);
    rest = rest.slice(unitLength);
    const unit = NANOS_PER_UNIT[unitName];
    if (unit === undefined) {
      throw new DurationError(text, `unknown unit ${quote(unitName)} in duration ${quote(text)}`);
    }

    if (value > MAX_MAGNITUDE / unit) throw invalid();
    value *= unit;
    if (fraction > 0n) {
      // Go: v += uint64(float64(f) * (float64(unit) / scale)); float64 keeps fractions of hours exact.
      value += BigInt(Math.trunc(Number(fraction) * (Number(unit) / scale)));
      if (value > MAX_MAGNITUDE) throw invalid();
    }
    total += value;
    if (total > MAX_MAGNITUDE) throw invalid();
  }
  if (negative) return -total;
  if (total > MAX_MAGNITUDE - 1n) throw invalid();
  return total;
}

/**
 * Go's `Duration.String()` for a number of milliseconds: `1m30s`, `5m0s`, `1h0m0s`, `1.5s`, `300ms`,
 * `0s`. Fractions of a millisecond are kept to the nanosecond (rounded), as Go would print them.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`cannot format ${ms} as a duration`);
  const wholeMs = Math.trunc(ms);
  const ns = BigInt(wholeMs) * NANOS_PER_MS + BigInt(Math.round((ms - wholeMs) * 1e6));
  return formatDurationNanos(ns);
}

/** Go's `Duration.String()` for exact nanoseconds. */
export function formatDurationNanos(ns: bigint): string {
  const sign = ns < 0n ? '-' : '';
  const u = ns < 0n ? -ns : ns;
  if (u === 0n) return '0s';
  if (u < 1_000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${fraction(u, 3)}µs`;
  if (u < 1_000_000_000n) return `${sign}${fraction(u, 6)}ms`;

  const seconds = fraction(u, 9, 60n);
  let minutes = u / 60_000_000_000n;
  if (minutes === 0n) return `${sign}${seconds}s`;
  const hours = minutes / 60n;
  minutes %= 60n;
  return hours === 0n ? `${sign}${minutes}m${seconds}s` : `${sign}${hours}h${minutes}m${seconds}s`;
}

/** `value / 10^digits` printed without trailing zeros; with `wrap`, the integer part is taken modulo it. */
function fraction(value: bigint, digits: number, wrap?: bigint): string {
  const divisor = 10n ** BigInt(digits);
  const integer = wrap === undefined ? value / divisor : (value / divisor) % wrap;
  const frac = (value % divisor).toString().padStart(digits, '0').replace(/0+$/, '');
  return frac === '' ? `${integer}` : `${integer}.${frac}`;
}

function leadingInt(text: string): { value: bigint; length: number } | undefined {
  let value = 0n;
  let i = 0;
  for (; i < text.length && isDigit(text[i]); i++) {
    if (value > MAX_MAGNITUDE / 10n) return undefined;
    value = value * 10n + BigInt(text.charCodeAt(i) - 48);
    if (value > MAX_MAGNITUDE) return undefined;
  }
  return { value, length: i };
}

/** Digits after the point; like Go, digits beyond int64 precision are consumed but ignored. */
function leadingFraction(text: string): { value: bigint; scale: number; length: number } {
  let value = 0n;
  let scale = 1;
  let overflow = false;
  let i = 0;
  for (; i < text.length && isDigit(text[i]); i++) {
    if (overflow) continue;
    if (value > (MAX_MAGNITUDE - 1n) / 10n) {
      overflow = true;
      continue;
    }
    const next = value * 10n + BigInt(text.charCodeAt(i) - 48);
    if (next > MAX_MAGNITUDE) {
      overflow = true;
      continue;
    }
    value = next;
    scale *= 10;
  }
  return { value, scale, length: i };
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function quote(text: string): string {
  return JSON.stringify(text);
}
