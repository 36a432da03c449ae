import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SourceAliases } from '../../../shared/ai/source-aliases.ts';

const sources = ['Condition/abc', 'segment/seg-7', 'chunk/c-1'].map((sourceId) => ({
  sourceId,
  category: 'notes' as const,
  text: 'Cough.',
}));

describe('SourceAliases', () => {
  it('gives the model s1..sN in the order of the sources, text and category unchanged', () => {
    const aliases = new SourceAliases(sources);
    expect(aliases.promptSources).toEqual([
      { sourceId: 's1', category: 'notes', text: 'Cough.' },
      { sourceId: 's2', category: 'notes', text: 'Cough.' },
      { sourceId: 's3', category: 'notes', text: 'Cough.' },
    ]);
  });

  it("restores the caller's ids in prose citations and JSON evidence entries", () => {
    const aliases = new SourceAliases(sources);
    expect(aliases.restore('Cough (source: s1). Fever [s2]. Rest (sources: s1, s3; s2).')).toBe(
      'Cough (source: Condition/abc). Fever [segment/seg-7]. Rest (sources: Condition/abc, chunk/c-1; segment/seg-7).',
    );
    expect(aliases.restore('{"evidence": ["s1", "source: s2", "[s3]"]}')).toBe(
      '{"evidence": ["Condition/abc", "source: segment/seg-7", "[chunk/c-1]"]}',
    );
  });

  it('finds citations only in citation forms and only for aliases of this prompt', () => {
    const aliases = new SourceAliases(sources);
    const reply = 'S1 and S2 normal; s2 is not cited here; (source: s7) is unknown; (S1) is a vertebra.';
    expect(aliases.citations(reply)).toEqual([]);
    expect(aliases.restore(reply)).toBe(reply);
  });

  it('reads nothing outside brackets or a JSON string as a citation, not even a bare alias', () => {
    const aliases = new SourceAliases(sources);
    fc.assert(
      fc.property(fc.stringMatching(/^[s1-3 a-z.:,;-]{0,60}$/), (text) => {
        expect(aliases.citations(text)).toEqual([]);
        expect(aliases.restore(text)).toBe(text);
      }),
    );
  });

  it('gives offsets of the alias itself, inside the citation', () => {
    const aliases = new SourceAliases(sources);
    const reply = 'Cough (source: s2) and {"evidence": ["s3"]}';
    expect(aliases.citations(reply).map(({ begin, end }) => reply.slice(begin, end))).toEqual(['s2', 's3']);
  });
});
