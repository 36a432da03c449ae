import { describe, expect, it } from 'vitest';
import { lookupKey, tokenizeWords } from '../../../../../shared/adapters/local/phi-rules/word-tokens.ts';

const tokens = (text: string): string[] => {
  const words = tokenizeWords(text);
  return Array.from({ length: words.count }, (_, i) => text.slice(words.begin[i], words.end[i]));
};

describe('tokenizeWords', () => {
  it('splits on anything that is not a letter and keeps inner apostrophes and hyphens', () => {
    expect(tokens("Mary-Kate O'Brien, 45yo; Zoë")).toEqual(['Mary-Kate', "O'Brien", 'yo', 'Zoë']);
  });

  it('ends a possessive word before its "s', () => {
    expect(tokens("Mary's chart and Jones’s note")).toEqual(['Mary', 'chart', 'and', 'Jones', 'note']);
  });

  it('skips words too long to be names', () => {
    expect(tokens(`${'a'.repeat(41)} Smith`)).toEqual(['Smith']);
  });

  it('gives each token a look-up key without case, apostrophes or accents', () => {
    const words = tokenizeWords("O'Brien José MÜLLER");
    expect([0, 1, 2].map((i) => words.key(i))).toEqual(['obrien', 'jose', 'muller']);
    expect(lookupKey('D’Angelo')).toBe('dangelo');
  });
});
