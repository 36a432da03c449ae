/** A corpus of notes with gold PHI spans, as every loader returns it. */
import type { LabelledSpan } from './deid-metrics.ts';

export interface LabelledNote {
  readonly id: string;
  /** Genre when the corpus records one (the dev set does); otherwise "note". */
  readonly kind: string;
  readonly text: string;
  readonly entities: readonly LabelledSpan[];
}

export interface LabelledCorpus {
  readonly name: string;
  /** Path relative to the repository root. */
  readonly source: string;
  /** Synthetic corpora may have their strings printed (missed examples); others are reported as counts only. */
  readonly synthetic: boolean;
  readonly notes: readonly LabelledNote[];
  /** Loader remarks: dropped labels, unmapped label types, invalid offsets. Never contains corpus text. */
  readonly remarks: readonly string[];
}
