import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatShape, topMissCategories } from '../../bench/deid/miss-categories.ts';

describe('formatShape', () => {
  it('keeps the format of identifiers and drops their content', () => {
    expect(formatShape('(217) 555-0134')).toBe('(999) 999-9999');
    expect(formatShape('March 4th, 2024')).toBe('Aa 9a, 9999');
    expect(formatShape("O'BRIEN, Seán")).toBe("A'A, Aa");
    expect(formatShape('20240314143200')).toBe('9{14}');
  });

  it('never lets a letter or digit of the input through, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        expect(formatShape(text)).toMatch(/^[Aax9{}0-9 \p{P}\p{S}?…]*$/u);
        expect(formatShape(text).replace(/9\{\d+\}/g, '')).not.toMatch(/[0-8]/);
      }),
    );
  });
});

describe('topMissCategories', () => {
  const misses = [
    { type: 'DATE' as const, text: '03/04/2024' },
    { type: 'DATE' as const, text: '11/12/2023' },
    { type: 'NAME' as const, text: 'Ana' },
  ];

  it('counts misses per type and shape, most frequent first', () => {
    expect(topMissCategories(misses, 20, false)).toEqual([
      { type: 'DATE', shape: '99/99/9999', count: 2 },
      { type: 'NAME', shape: 'Aa', count: 1 },
    ]);
  });

  it('adds an example string only when the corpus is synthetic', () => {
    expect(topMissCategories(misses, 1, true)).toEqual([
      { type: 'DATE', shape: '99/99/9999', count: 2, example: '03/04/2024' },
    ]);
  });
});
