import { describe, expect, it } from 'vitest';
import { analyzePhrase, stem, tokenize } from '../../../shared/knowledge/english-analyzer.ts';
import { CLINIC_SYNONYMS, EXPANSION_WEIGHT, QueryExpander } from '../../../shared/knowledge/query-expansion.ts';

const weightsOf = (expander: QueryExpander, query: string) =>
  new Map(expander.expand(tokenize(query)).map(({ term, weight }) => [term, weight]));

describe('QueryExpander', () => {
  it('keeps the query terms at full weight and adds the rest of a matched group at the reduced weight', () => {
    const expander = new QueryExpander(tokenize, { groups: [['fridge', 'refrigerator', 'storage unit']], weight: 0.4 });
    const weights = weightsOf(expander, 'Is the vaccine fridge too warm?');
    expect(weights.get('fridg')).toBe(1);
    expect(weights.get('vaccin')).toBe(1);
    expect(weights.get(stem('refrigerator'))).toBe(0.4);
    expect(weights.get(stem('storage'))).toBe(0.4);
    expect(weights.get(stem('unit'))).toBe(0.4);
  });

  it('matches a phrase entry only when its words are in a row', () => {
    const expander = new QueryExpander(tokenize, { groups: [['prior authorization', 'preauthorization']] });
    const preauthorization = stem('preauthorization');
    expect(weightsOf(expander, 'Does this need prior authorization?').get(preauthorization)).toBe(EXPANSION_WEIGHT);
    expect(weightsOf(expander, 'Authorization of the prior visit').has(preauthorization)).toBe(false);
  });

  it('matches an entry with a stop word only where the stop word is, when given stop-word marks', () => {
    const groups = [['on call', 'after hours']];
    const marked = new QueryExpander(analyzePhrase, { groups });
    const expandedBy = (query: string) => new Map(marked.expand(analyzePhrase(query)).map((t) => [t.term, t.weight]));
    expect(expandedBy('Who is on call tonight?').get(stem('hours'))).toBe(EXPANSION_WEIGHT);
    expect(expandedBy('Please call the pharmacy').has(stem('hours'))).toBe(false);
    // The marks never become query terms.
    expect([...expandedBy('Who is on call tonight?').keys()].every((term) => /^[\p{L}\p{N}]+$/u.test(term))).toBe(true);
    // Without marks the stop word is gone and "on call" is just "call": the reason the index passes analyzePhrase.
    const unmarked = new QueryExpander(tokenize, { groups });
    expect(
      new Map(unmarked.expand(tokenize('Please call the pharmacy')).map((t) => [t.term, t.weight])).has(stem('hours')),
    ).toBe(true);
  });

  it('never lowers a term the asker typed, and lists every term once', () => {
    const expander = new QueryExpander(tokenize, { groups: [['shot', 'vaccine']] });
    const expanded = expander.expand(tokenize('shot vaccine shot'));
    expect(expanded).toEqual([
      { term: 'shot', weight: 1 },
      { term: 'vaccin', weight: 1 },
    ]);
  });

  it('adds nothing when no group matches or the weight is zero', () => {
    const groups = [['fridge', 'refrigerator']];
    expect(new QueryExpander(tokenize, { groups }).expand(['parking'])).toEqual([{ term: 'parking', weight: 1 }]);
    expect(new QueryExpander(tokenize, { groups, weight: 0 }).expand(['fridg'])).toEqual([
      { term: 'fridg', weight: 1 },
    ]);
  });

  it('rejects a weight outside [0, 1]', () => {
    expect(() => new QueryExpander(tokenize, { weight: 1.5 })).toThrow(RangeError);
    expect(() => new QueryExpander(tokenize, { weight: -0.1 })).toThrow(RangeError);
    expect(() => new QueryExpander(tokenize, { weight: Number.NaN })).toThrow(RangeError);
  });

  it('expands the everyday clinic words of the default table', () => {
    const expander = new QueryExpander(tokenize);
    expect(weightsOf(expander, 'Can an LPN renew it?').get(stem('nurse'))).toBe(EXPANSION_WEIGHT);
    expect(weightsOf(expander, 'Is there handicap parking?').get(stem('accessible'))).toBe(EXPANSION_WEIGHT);
    expect(weightsOf(expander, 'How do I set up a video appointment?').get(stem('telehealth'))).toBe(EXPANSION_WEIGHT);
  });
});

describe('CLINIC_SYNONYMS', () => {
  it('has groups of at least two entries, each of which survives the tokenizer', () => {
    for (const group of CLINIC_SYNONYMS) {
      expect(group.length, group.join(', ')).toBeGreaterThanOrEqual(2);
      for (const entry of group) expect(tokenize(entry).length, entry).toBeGreaterThan(0);
    }
  });
});
