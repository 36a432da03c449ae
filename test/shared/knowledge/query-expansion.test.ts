import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../shared/knowledge/lexical-index.ts';
import { CLINIC_SYNONYMS, EXPANSION_WEIGHT, QueryExpander } from '../../../shared/knowledge/query-expansion.ts';

const weightsOf = (expander: QueryExpander, query: string) =>
  new Map(expander.expand(tokenize(query)).map(({ term, weight }) => [term, weight]));

describe('QueryExpander', () => {
  it('keeps the query terms at full weight and adds the rest of a matched group at the reduced weight', () => {
    const expander = new QueryExpander(tokenize, { groups: [['fridge', 'refrigerator', 'storage unit']], weight: 0.4 });
    const weights = weightsOf(expander, 'Is the vaccine fridge too warm?');
    expect(weights.get('fridg')).toBe(1);
    expect(weights.get('vaccin')).toBe(1);
    expect(weights.get('refrigerator')).toBe(0.4);
    expect(weights.get('storag')).toBe(0.4);
    expect(weights.get('unit')).toBe(0.4);
  });

  it('matches a phrase entry only when its words are in a row', () => {
    const expander = new QueryExpander(tokenize, { groups: [['prior authorization', 'preauthorization']] });
    expect(weightsOf(expander, 'Does this need prior authorization?').get('preauthorization')).toBe(EXPANSION_WEIGHT);
    expect(weightsOf(expander, 'Authorization of the prior visit').has('preauthorization')).toBe(false);
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
    expect(weightsOf(expander, 'Can an LPN renew it?').get('nurs')).toBe(EXPANSION_WEIGHT);
    expect(weightsOf(expander, 'Is there handicap parking?').get('accessibl')).toBe(EXPANSION_WEIGHT);
    expect(weightsOf(expander, 'How do I set up a video appointment?').get('telehealth')).toBe(EXPANSION_WEIGHT);
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
