/** Runs one detector over one corpus: accuracy against gold, throughput, a 1 MB note, and memory. */
import { performance } from 'node:perf_hooks';
import { PHI_TYPES, type PhiSpan, type PhiType } from '../../shared/phi/phi-types.ts';
import type { BenchDetector } from './bench-detectors.ts';
import {
  addTallies,
  type DeidScores,
  EMPTY_TALLY,
  evaluateNote,
  type LabelledSpan,
  summarize,
} from './deid-metrics.ts';
import type { LabelledCorpus, LabelledNote } from './labelled-corpus.ts';
import { type MissCategory, topMissCategories } from './miss-categories.ts';

export interface DetectorRunSettings {
  /** Throughput is measured over the corpus repeated to at least this many UTF-8 bytes. */
  readonly minThroughputBytes: number;
  /** Size of the single large note timed on its own. */
  readonly largeNoteBytes: number;
  readonly largeNoteRepeats: number;
  readonly topMisses: number;
}

export interface DetectorRunResult {
  readonly corpus: string;
  readonly detector: string;
  readonly label: string;
  readonly simulated: boolean;
  readonly scores: DeidScores;
  /** Notes on which detect() rejected; scored as detecting nothing (a real caller fails closed). */
  readonly failedNotes: number;
  /** Spans with offsets outside the text, empty, or of an unknown type; dropped before scoring. */
  readonly invalidSpans: number;
  readonly throughput: {
    readonly method: 'detectSync' | 'detect';
    readonly bytes: number;
    readonly calls: number;
    readonly seconds: number;
    readonly mbPerSecond: number;
  };
  readonly largeNote: { readonly bytes: number; readonly medianMs: number };
  readonly memory: { readonly peakHeapUsedMb: number; readonly peakRssMb: number };
  readonly topMisses: readonly MissCategory[];
  readonly remarks: readonly string[];
}

const MB = 1_000_000;
const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const KNOWN_TYPES = new Set<string>(PHI_TYPES);

/** Keeps well-formed spans; counts the rest (a detector bug worth seeing, e.g. code point offsets). */
export function validSpans(spans: readonly PhiSpan[], textLength: number): { spans: LabelledSpan[]; invalid: number } {
  const valid: LabelledSpan[] = [];
  let invalid = 0;
  for (const span of spans) {
    const ok =
      Number.isInteger(span.begin) &&
      Number.isInteger(span.end) &&
      span.begin >= 0 &&
      span.end > span.begin &&
      span.end <= textLength &&
      KNOWN_TYPES.has(span.type);
    if (ok) valid.push({ begin: span.begin, end: span.end, type: span.type });
    else invalid++;
  }
  return { spans: valid, invalid };
}

/** Joins notes (blank line between) into one note of at least `minBytes`, gold spans shifted to match. */
export function concatenateNotes(notes: readonly LabelledNote[], minBytes: number): LabelledNote {
  if (notes.length === 0) return { id: 'empty', kind: 'concatenated', text: '', entities: [] };
  const parts: string[] = [];
  const entities: LabelledSpan[] = [];
  let length = 0;
  let bytes = 0;
  for (let i = 0; bytes < minBytes; i++) {
    const note = notes[i % notes.length];
    if (!note) break;
    const separator = parts.length === 0 ? '' : '\n\n';
    const offset = length + separator.length;
    for (const entity of note.entities)
      entities.push({ ...entity, begin: entity.begin + offset, end: entity.end + offset });
    parts.push(separator, note.text);
    length = offset + note.text.length;
    bytes += utf8Bytes(separator) + utf8Bytes(note.text);
  }
  return { id: 'concatenated', kind: 'concatenated', text: parts.join(''), entities };
}

class MemoryWatch {
  #peakHeap = 0;
  sample(): void {
    const heap = process.memoryUsage().heapUsed;
    if (heap > this.#peakHeap) this.#peakHeap = heap;
  }
  report(): { peakHeapUsedMb: number; peakRssMb: number } {
    this.sample();
    // maxRSS is in kilobytes and is the peak of the whole process so far, not of this detector alone.
    return { peakHeapUsedMb: this.#peakHeap / MB, peakRssMb: (process.resourceUsage().maxRSS * 1024) / MB };
  }
}

async function timedDetect(detector: BenchDetector, note: LabelledNote, useSync: boolean): Promise<number> {
  detector.prepare(note);
  const started = performance.now();
  if (useSync && detector.detectSync) detector.detectSync(note.text);
  else await detector.detect(note.text);
  return performance.now() - started;
}

export async function runDetector(
  detector: BenchDetector,
  corpus: LabelledCorpus,
  settings: DetectorRunSettings,
): Promise<DetectorRunResult> {
  const memory = new MemoryWatch();
  let tally = EMPTY_TALLY;
  let failedNotes = 0;
  let invalidSpans = 0;
  const misses: { type: PhiType; text: string }[] = [];
  for (const note of corpus.notes) {
    detector.prepare(note);
    let detected: LabelledSpan[] = [];
    try {
      const checked = validSpans(await detector.detect(note.text), note.text.length);
      detected = checked.spans;
      invalidSpans += checked.invalid;
    } catch {
      failedNotes++;
    }
    const evaluation = evaluateNote(note.entities, detected);
    tally = addTallies(tally, evaluation.tally);
    for (const miss of evaluation.missed) misses.push({ type: miss.type, text: note.text.slice(miss.begin, miss.end) });
    memory.sample();
  }

  const useSync = detector.detectSync !== undefined;
  const corpusBytes = corpus.notes.reduce((sum, note) => sum + utf8Bytes(note.text), 0);
  const passes = corpusBytes === 0 ? 0 : Math.ceil(settings.minThroughputBytes / corpusBytes);
  for (const note of corpus.notes.slice(0, 25)) await timedDetect(detector, note, useSync).catch(() => 0);
  let elapsedMs = 0;
  let calls = 0;
  for (let pass = 0; pass < passes; pass++) {
    for (const note of corpus.notes) {
      elapsedMs += await timedDetect(detector, note, useSync).catch(() => 0);
      calls++;
      if (calls % 50 === 0) memory.sample();
    }
  }

  const largeNote = concatenateNotes(corpus.notes, settings.largeNoteBytes);
  const largeTimes: number[] = [];
  for (let i = 0; i < settings.largeNoteRepeats; i++) {
    largeTimes.push(await timedDetect(detector, largeNote, useSync).catch(() => Number.NaN));
    memory.sample();
  }
  largeTimes.sort((a, b) => a - b);

  const bytes = corpusBytes * passes;
  return {
    corpus: corpus.name,
    detector: detector.name,
    label: detector.label,
    simulated: detector.simulated,
    scores: summarize(tally),
    failedNotes,
    invalidSpans,
    throughput: {
      method: useSync ? 'detectSync' : 'detect',
      bytes,
      calls,
      seconds: elapsedMs / 1000,
      mbPerSecond: elapsedMs === 0 ? 0 : bytes / MB / (elapsedMs / 1000),
    },
    largeNote: {
      bytes: utf8Bytes(largeNote.text),
      medianMs: largeTimes[Math.floor(largeTimes.length / 2)] ?? Number.NaN,
    },
    memory: memory.report(),
    topMisses: topMissCategories(misses, settings.topMisses, corpus.synthetic),
    remarks: detector.remarks(),
  };
}
