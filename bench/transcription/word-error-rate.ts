/** Word error rate: word-level edit distance between a reference and a hypothesis, over the reference length. */

export interface WordErrors {
  readonly referenceWords: number;
  readonly substitutions: number;
  readonly deletions: number;
  readonly insertions: number;
  /** (S + D + I) / N; above 1 when the hypothesis inserts more words than the reference has. */
  readonly wer: number;
}

/** Lower case, punctuation dropped (apostrophes kept inside words, hyphens split words), whitespace-separated. */
export function normaliseWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[-/]/g, ' ')
    .replace(/[^\p{L}\p{N}'\s]/gu, ' ')
    .replace(/(^|\s)'+|'+(?=\s|$)/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/** Levenshtein alignment on normalised words; ties prefer substitutions, then deletions (the usual convention). */
export function wordErrors(reference: string, hypothesis: string): WordErrors {
  const ref = normaliseWords(reference);
  const hyp = normaliseWords(hypothesis);
  // cost[i][j]: best [edits, S, D, I] aligning ref[0..i) with hyp[0..j).
  type Cell = readonly [number, number, number, number];
  let previous: Cell[] = Array.from({ length: hyp.length + 1 }, (_, j): Cell => [j, 0, 0, j]);
  for (let i = 1; i <= ref.length; i++) {
    const current: Cell[] = [[i, 0, i, 0]];
    for (let j = 1; j <= hyp.length; j++) {
      const diagonal = previous[j - 1] as Cell;
      const up = previous[j] as Cell;
      const left = current[j - 1] as Cell;
      const same = ref[i - 1] === hyp[j - 1];
      const candidates: Cell[] = [
        same ? diagonal : [diagonal[0] + 1, diagonal[1] + 1, diagonal[2], diagonal[3]],
        [up[0] + 1, up[1], up[2] + 1, up[3]],
        [left[0] + 1, left[1], left[2], left[3] + 1],
      ];
      current.push(candidates.reduce((best, cell) => (cell[0] < best[0] ? cell : best)));
    }
    previous = current;
  }
  const [edits, substitutions, deletions, insertions] = previous[hyp.length] as Cell;
  return {
    referenceWords: ref.length,
    substitutions,
    deletions,
    insertions,
    wer: ref.length === 0 ? (hyp.length === 0 ? 0 : Number.POSITIVE_INFINITY) : edits / ref.length,
  };
}

/** Corpus WER: total edits over total reference words (not the mean of per-sentence rates). */
export function corpusWordErrors(pairs: readonly { reference: string; hypothesis: string }[]): WordErrors {
  const totals = pairs.map((pair) => wordErrors(pair.reference, pair.hypothesis));
  const sum = (key: 'referenceWords' | 'substitutions' | 'deletions' | 'insertions') =>
    totals.reduce((total, errors) => total + errors[key], 0);
  const referenceWords = sum('referenceWords');
  const edits = sum('substitutions') + sum('deletions') + sum('insertions');
  return {
    referenceWords,
    substitutions: sum('substitutions'),
    deletions: sum('deletions'),
    insertions: sum('insertions'),
    wer: referenceWords === 0 ? 0 : edits / referenceWords,
  };
}
