/** Keeps log and metric fields to identifiers, codes and numbers, so free text (which may hold PHI) never leaves. */

export type SafeValue = string | number | boolean | null | undefined;
export type SafeFields = Readonly<Record<string, SafeValue | readonly SafeValue[]>>;

// An identifier, code, route or ISO timestamp: no spaces, bounded length. Anything else could be prose.
const IDENTIFIER = /^[A-Za-z0-9_.:/@+=#{}\-[\]]{0,128}$/;

export const REDACTED = '[redacted]';

function sanitizeValue(value: SafeValue): SafeValue {
  if (typeof value === 'string') return IDENTIFIER.test(value) ? value : REDACTED;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return value;
}

/** Returns a copy in which every string that does not look like an identifier is replaced by `[redacted]`. */
export function sanitizeFields(fields: SafeFields): Record<string, SafeValue | SafeValue[]> {
  const out: Record<string, SafeValue | SafeValue[]> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (!IDENTIFIER.test(key)) continue;
    out[key] = Array.isArray(value) ? value.slice(0, 50).map(sanitizeValue) : sanitizeValue(value as SafeValue);
  }
  return out;
}

/** Describes an error for the log without its message, which may echo input: name, code and stack frames only. */
export function describeError(error: unknown): Record<string, SafeValue | SafeValue[]> {
  if (!(error instanceof Error)) return { errorType: typeof error };
  const code = (error as { code?: unknown }).code;
  const frames = (error.stack ?? '')
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line.startsWith('at '))
    .slice(0, 10);
  return {
    errorName: error.name,
    errorCode: typeof code === 'string' ? code : undefined,
    stack: frames.map((frame) => frame.replace(/\s+/g, '_').slice(0, 200)),
  };
}
