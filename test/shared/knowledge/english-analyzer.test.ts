import { describe, expect, it } from 'vitest';
import {
  analyzePhrase,
  STOP_WORD_MARK,
  stem,
  termOf,
  tokenize,
  words,
} from '../../../shared/knowledge/english-analyzer.ts';

describe('stem (Porter2)', () => {
  it('matches the published Snowball English sample output', () => {
    // Input/output pairs from the Snowball project's English vocabulary sample.
    const pairs: [string, string][] = [
      ['consign', 'consign'],
      ['consigned', 'consign'],
      ['consigning', 'consign'],
      ['consignment', 'consign'],
      ['consistency', 'consist'],
      ['consolation', 'consol'],
      ['consolatory', 'consolatori'],
      ['consolingly', 'consol'],
      ['conspiracy', 'conspiraci'],
      ['constable', 'constabl'],
      ['knackeries', 'knackeri'],
      ['kneeling', 'kneel'],
      ['knightly', 'knight'],
      ['knives', 'knive'],
      ['generously', 'generous'],
      ['skies', 'sky'],
      ['dying', 'die'],
      ['news', 'news'],
      ['innings', 'inning'],
      ['proceed', 'proceed'],
    ];
    for (const [word, expected] of pairs) expect(stem(word), word).toBe(expected);
  });

  it('brings inflections and common derivations of a handbook word to one stem', () => {
    const groups = [
      ['schedule', 'schedules', 'scheduled', 'scheduling'],
      ['refill', 'refills', 'refilled', 'refilling'],
      ['policy', 'policies'],
      ['stop', 'stopped', 'stopping'],
      ['authorize', 'authorized', 'authorization', 'authorizations'],
      ['vaccine', 'vaccines', 'vaccination'],
      ['accessible', 'accessibility'],
      ['review', 'reviewed', 'reviewing'],
    ];
    for (const group of groups) expect(new Set(group.map(stem)).size, group.join(',')).toBe(1);
  });

  it('keeps apart words that only look alike', () => {
    expect(stem('news')).not.toBe(stem('new'));
    expect(stem('nurse')).not.toBe(stem('nursery'));
    expect(stem('bring')).toBe('bring');
  });

  it('leaves tokens with digits alone', () => {
    expect(stem('2026')).toBe('2026');
    expect(stem('covid19s')).toBe('covid19s');
  });
});

describe('tokenize', () => {
  it('lower-cases, drops stop words, possessives and single letters, and keeps numbers', () => {
    expect(tokenize("What is the nurse's protocol for COVID-19 in 2026? A b")).toEqual([
      'nurs',
      'protocol',
      'covid',
      '19',
      '2026',
    ]);
  });

  it('spells out unit symbols, so a question that names the unit meets a table that uses the symbol', () => {
    expect(tokenize('2 °C to 8 °C (36 °F to 46 °F)')).toEqual([
      '2',
      'celsius',
      '8',
      'celsius',
      '36',
      'fahrenheit',
      '46',
      'fahrenheit',
    ]);
    expect(tokenize('5% of doses')).toEqual(['5', 'percent', 'dose']);
    // Without the degree sign a capital C or F is an ordinary (dropped) letter.
    expect(tokenize('vitamin C')).toEqual(['vitamin']);
  });

  it('handles letters beyond ASCII', () => {
    expect(words('Fièvre chez l’enfant — Übelkeit')).toEqual(['fièvre', 'chez', 'l’enfant', 'übelkeit']);
    expect(termOf('l’enfant')).toBe(stem('lenfant'));
  });
});

describe('analyzePhrase', () => {
  it('keeps stop words as marks in place and drops single letters', () => {
    expect(analyzePhrase('Who is on call for a weekend?')).toEqual([
      `${STOP_WORD_MARK}who`,
      `${STOP_WORD_MARK}is`,
      `${STOP_WORD_MARK}on`,
      'call',
      `${STOP_WORD_MARK}for`,
      `${STOP_WORD_MARK}a`,
      'weekend',
    ]);
  });

  it('yields the same terms as tokenize once the marks are removed', () => {
    const text = "Can the front desk log in to the portal after hours? It's urgent.";
    expect(analyzePhrase(text).filter((term) => !term.startsWith(STOP_WORD_MARK))).toEqual(tokenize(text));
  });
});
