import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusWordErrors, normaliseWords, wordErrors } from '../../../bench/transcription/word-error-rate.ts';

describe('wordErrors', () => {
  it('is 0 for the same words whatever the case and punctuation', () => {
    expect(wordErrors('Chest pain, since Monday.', 'chest pain since monday')).toMatchObject({
      wer: 0,
      referenceWords: 4,
    });
  });

  it('counts substitutions, deletions and insertions', () => {
    expect(wordErrors('the patient has a fever', 'the patient had a fever today')).toEqual({
      referenceWords: 5,
      substitutions: 1,
      deletions: 0,
      insertions: 1,
      wer: 2 / 5,
    });
    expect(wordErrors('the patient has a fever', 'the patient a fever')).toMatchObject({ deletions: 1, wer: 1 / 5 });
  });

  it('exceeds 1 when the hypothesis inserts more words than the reference has', () => {
    expect(wordErrors('no fever', 'i can pull your eating that ah').wer).toBeGreaterThan(1);
  });

  it('is 1 for an empty hypothesis (every word deleted)', () => {
    expect(wordErrors('blood pressure is normal', '')).toMatchObject({ deletions: 4, wer: 1 });
  });

  it('is symmetric in edit count and never below the length difference', () => {
    const words = fc.array(fc.constantFrom('pain', 'chest', 'left', 'arm', 'no'), { maxLength: 8 });
    fc.assert(
      fc.property(words, words, (a, b) => {
        const ab = wordErrors(a.join(' '), b.join(' '));
        const ba = wordErrors(b.join(' '), a.join(' '));
        const edits = (e: typeof ab) => e.substitutions + e.deletions + e.insertions;
        return (
          edits(ab) === edits(ba) &&
          edits(ab) >= Math.abs(a.length - b.length) &&
          edits(ab) <= Math.max(a.length, b.length)
        );
      }),
    );
  });
});

describe('normaliseWords', () => {
  it('keeps apostrophes inside words and splits hyphenated ones', () => {
    expect(normaliseWords("Patient's x-ray: 'normal'.")).toEqual(["patient's", 'x', 'ray', 'normal']);
  });
});

describe('corpusWordErrors', () => {
  it('divides the total edits by the total reference words', () => {
    const corpus = corpusWordErrors([
      { reference: 'one two three four', hypothesis: 'one two three four' },
      { reference: 'five six', hypothesis: 'five' },
    ]);
    expect(corpus).toMatchObject({ referenceWords: 6, deletions: 1, wer: 1 / 6 });
  });
});
