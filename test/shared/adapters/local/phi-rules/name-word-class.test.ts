import { describe, expect, it } from 'vitest';
import {
  isInflectedCommonWord,
  NameClass,
  nameWordClass,
  WordShape,
  wordShape,
} from '../../../../../shared/adapters/local/phi-rules/name-word-class.ts';

describe('nameWordClass', () => {
  it.each([
    ['maria', NameClass.StrongName],
    ['nguyen', NameClass.StrongName],
    ['smith', NameClass.AmbiguousName],
    ['brown', NameClass.CommonName],
    ['will', NameClass.CommonName],
    ['parkinson', NameClass.CommonName],
    ['lisinopril', NameClass.Never],
    ['the', NameClass.Never],
    ['patient', NameClass.Never],
    ['lyme', NameClass.Never],
    ['tolerated', NameClass.Word],
    ['cardiomyopathy', NameClass.Word],
    ['zyxwvut', NameClass.Unknown],
    ['smith-nguyen', NameClass.StrongName],
    ['follow-up', NameClass.Word],
    ['sharps', NameClass.AmbiguousName],
    ['billing', NameClass.AmbiguousName],
    ['chambers', NameClass.AmbiguousName],
    ['nils', NameClass.StrongName],
    ['hamed', NameClass.StrongName],
    ['reviewer', NameClass.Word],
    ['prescribers', NameClass.Word],
    ['de-identified', NameClass.Word],
    ['al-hassan', NameClass.StrongName],
  ])('classes %s', (key, expected) => {
    expect(nameWordClass(key)).toBe(expected);
  });
});

describe('isInflectedCommonWord', () => {
  it.each(['sharps', 'harms', 'boxes', 'dishes', 'babies', 'billing', 'storing', 'running'])(
    'reads %s as an inflection of a common word',
    (key) => {
      expect(isInflectedCommonWord(key)).toBe(true);
    },
  );

  it.each(['nguyen', 'jones', 'davis', 'james', 'hayes', 'hamed', 'hering', 'sharp'])(
    'does not read %s as one',
    (key) => {
      expect(isInflectedCommonWord(key)).toBe(false);
    },
  );
});

describe('wordShape', () => {
  it.each([
    ['Smith', WordShape.Title],
    ['McDonald', WordShape.Title],
    ['SMITH', WordShape.Upper],
    ['J', WordShape.Initial],
    ['smith', WordShape.Lower],
    ['Émile', WordShape.Title],
  ])('reads %s', (word, expected) => {
    expect(wordShape(word, 0, word.length)).toBe(expected);
  });
});
