/** Builds note text and its gold PHI spans together, so offsets are exact by construction. */
import type { PhiType } from '../../shared/phi/phi-types.ts';

export interface GoldEntity {
  readonly begin: number;
  readonly end: number;
  readonly type: PhiType;
}

export interface LabelledText {
  readonly text: string;
  readonly entities: readonly GoldEntity[];
}

/** A piece of a note: plain text, a labelled fragment, or nothing (`null`/`false` render as empty). */
export type Fragment = string | number | LabelledText | null | undefined | false;

const EMPTY: LabelledText = { text: '', entities: [] };

function asLabelled(fragment: Fragment): LabelledText {
  if (fragment === null || fragment === undefined || fragment === false) return EMPTY;
  if (typeof fragment === 'string' || typeof fragment === 'number') return { text: String(fragment), entities: [] };
  return fragment;
}

/** One gold span covering the whole value; a value with surrounding whitespace is a generator bug. */
export function phi(type: PhiType, value: string): LabelledText {
  if (value.length === 0 || value.trim() !== value) throw new Error(`bad ${type} value: ${JSON.stringify(value)}`);
  return { text: value, entities: [{ begin: 0, end: value.length, type }] };
}

/** Concatenates fragments, shifting each fragment's spans by the text before it. */
export function concat(fragments: readonly Fragment[]): LabelledText {
  let text = '';
  const entities: GoldEntity[] = [];
  for (const fragment of fragments) {
    const part = asLabelled(fragment);
    for (const entity of part.entities) {
      entities.push({ begin: entity.begin + text.length, end: entity.end + text.length, type: entity.type });
    }
    text += part.text;
  }
  return { text, entities };
}

/** Tagged template: labelled`Seen by ${phi('NAME', 'Ana Ruiz')} on ${date}`. */
export function labelled(strings: TemplateStringsArray, ...values: readonly Fragment[]): LabelledText {
  const parts: Fragment[] = [];
  strings.forEach((literal, i) => {
    parts.push(literal);
    if (i < values.length) parts.push(values[i]);
  });
  return concat(parts);
}

/** Joins the fragments that are present with a separator; `null`/`false` entries are dropped entirely. */
export function join(fragments: readonly Fragment[], separator: string): LabelledText {
  const present = fragments.filter((fragment) => fragment !== null && fragment !== undefined && fragment !== false);
  return concat(present.flatMap((fragment, i) => (i === 0 ? [fragment] : [separator, fragment])));
}

/** One line per present fragment. */
export function lines(...fragments: readonly Fragment[]): LabelledText {
  return join(fragments, '\n');
}

/** Re-cases a fragment's text (ALL CAPS headers, lower-case portal messages) keeping spans where they are. */
export function recase(fragment: LabelledText, casing: 'upper' | 'lower'): LabelledText {
  const text = casing === 'upper' ? fragment.text.toUpperCase() : fragment.text.toLowerCase();
  // Upper-casing can change length (e.g. German sharp s); the generator's vocabulary avoids such letters.
  if (text.length !== fragment.text.length) throw new Error('re-casing changed the text length');
  return { text, entities: fragment.entities };
}
