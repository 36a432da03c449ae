/** Groups missed gold entities by type and format shape, so misses can be reported without their text. */
import type { PhiType } from '../../shared/phi/phi-types.ts';

/**
 * The format of a string with its content removed: letter runs become "A"/"a" (by case), digits become "9" (runs
 * over four as "9{n}"), whitespace runs one space, punctuation stays. "(217) 555-0134" -> "(999) 999-9999",
 * "March 4th, 2024" -> "Aa 9a, 9999", "O'Brien" -> "A'Aa".
 */
export function formatShape(text: string): string {
  let shape = '';
  for (const match of text.matchAll(/(\p{Lu}\p{Ll}+)|(\p{Lu}+)|(\p{Ll}+)|(\p{Nd}+)|(\s+)|(.)/gsu)) {
    const [token, titled, upper, lower, digits, space] = match;
    if (titled) shape += 'Aa';
    else if (upper) shape += 'A';
    else if (lower) shape += 'a';
    else if (digits) shape += digits.length > 4 ? `9{${digits.length}}` : '9'.repeat(digits.length);
    else if (space) shape += ' ';
    else shape += /[\p{L}\p{N}]/u.test(token) ? 'x' : token.length === 1 && token.charCodeAt(0) < 128 ? token : '?';
  }
  return shape.length > 48 ? `${shape.slice(0, 47)}…` : shape;
}

export interface MissCategory {
  readonly type: PhiType;
  readonly shape: string;
  readonly count: number;
  /** Only for synthetic corpora: one missed string of this shape, to make the category concrete. */
  readonly example?: string;
}

/** The `limit` most frequent (type, shape) pairs among misses; examples only when the corpus may be shown. */
export function topMissCategories(
  misses: readonly { readonly type: PhiType; readonly text: string }[],
  limit: number,
  withExamples: boolean,
): MissCategory[] {
  const groups = new Map<string, { type: PhiType; shape: string; count: number; example: string }>();
  for (const miss of misses) {
    const shape = formatShape(miss.text);
    const key = `${miss.type}\u0000${shape}`;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { type: miss.type, shape, count: 1, example: miss.text });
  }
  return [...groups.values()]
    .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type) || a.shape.localeCompare(b.shape))
    .slice(0, limit)
    .map(({ type, shape, count, example }) =>
      withExamples ? { type, shape, count, example } : { type, shape, count },
    );
}
