/**
 * `npm run bench -- transcription`: speaks a script of clinical sentences with espeak-ng and measures each local
 * recogniser: real-time factor, latency from the end of a segment's audio to its final text, and word error rate.
 * Missing speech tools are reported, never fatal.
 */
import { resolve } from 'node:path';
import { demoTranscribeResponder } from '../../infra/local/transcribe-streaming-demo-script.ts';
import { startTranscribeStreamingFake } from '../../infra/local/transcribe-streaming-fake.ts';
import { TranscribeMedicalTranscriber } from '../../shared/adapters/aws/transcribe-medical-transcriber.ts';
import { findPocketsphinx, PocketsphinxTranscriber } from '../../shared/adapters/local/pocketsphinx-transcriber.ts';
import type { AudioSegment, Transcriber } from '../../shared/ports/transcriber.ts';
import { SPEECH_BYTES_PER_MS } from '../../shared/transcription/audio/speech-pcm.ts';
import { type BenchRun, benchRun, writeBenchResults } from '../bench-results.ts';
import { CLINICAL_SCRIPT } from './clinical-script.ts';
import { espeakVersion, synthesiseSpeech } from './synthesise-speech.ts';
import { corpusWordErrors, normaliseWords, type WordErrors } from './word-error-rate.ts';

// Node 20 is what this project runs on; the SDK's end-of-support notice would only interleave with the tables.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// 100 ms frames, as the Transcribe adapter sends them and as the encounter socket receives them.
const FRAME_BYTES = 100 * SPEECH_BYTES_PER_MS;
/** Sentences streamed at real-time pace for the latency measurement (each takes its own duration to stream). */
const DEFAULT_LATENCY_SENTENCES = 5;

export interface RecogniserResult {
  readonly name: string;
  readonly isClinicalGrade: boolean;
  readonly note: string;
  /** Processing wall time over audio duration, audio streamed as fast as the recogniser takes it (lower is faster). */
  readonly realTimeFactor: number;
  /** End of a segment's audio (last frame handed over at real-time pace) to its last final result, in ms. */
  readonly latencyMs: { readonly samples: number; readonly p50: number; readonly max: number };
  readonly wordErrors: WordErrors;
  /** The first few hypotheses beside their references (the script is invented text, no PHI). */
  readonly examples: readonly { readonly reference: string; readonly hypothesis: string }[];
}

export interface TranscriptionReport extends BenchRun {
  readonly suite: 'transcription';
  readonly tools: { readonly espeakNg: string | null; readonly pocketsphinx: string };
  readonly script: { readonly sentences: number; readonly words: number; readonly audioSeconds: number };
  readonly recognisers: readonly RecogniserResult[];
  readonly notices: readonly string[];
}

export interface TranscriptionSuiteOptions {
  readonly repoRoot: string;
  /** Relative to repoRoot; false to skip writing. */
  readonly resultsPath?: string | false;
  readonly latencySentences?: number;
  readonly log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function segment(audio: AsyncIterable<Uint8Array>, segmentSeq: number): AudioSegment {
  return {
    encounterId: 'bench',
    segmentSeq,
    encoding: 'pcm-s16le',
    sampleRateHz: 16_000,
    specialty: 'PRIMARYCARE',
    audio,
  };
}

/** Frames of `pcm`; paced at real time when `paced`, and `onEnd` called when the last frame has been taken. */
async function* frames(pcm: Uint8Array, paced: boolean, onEnd: () => void): AsyncGenerator<Uint8Array> {
  const started = performance.now();
  for (let offset = 0; offset < pcm.byteLength; offset += FRAME_BYTES) {
    if (paced) {
      const due = started + offset / SPEECH_BYTES_PER_MS;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
    }
    yield pcm.subarray(offset, offset + FRAME_BYTES);
  }
  onEnd();
}

async function transcribeOnce(
  transcriber: Transcriber,
  pcm: Uint8Array,
  seq: number,
  paced: boolean,
): Promise<{ text: string; elapsedMs: number; latencyMs: number }> {
  let audioEndedAt = Number.NaN;
  let lastFinalAt = Number.NaN;
  const texts: string[] = [];
  const started = performance.now();
  const audio = frames(pcm, paced, () => {
    audioEndedAt = performance.now();
  });
  for await (const result of transcriber.transcribe(segment(audio, seq))) {
    if (result.isPartial) continue;
    texts.push(result.text);
    lastFinalAt = performance.now();
  }
  const finished = performance.now();
  const end = Number.isNaN(audioEndedAt) ? finished : audioEndedAt;
  const final = Number.isNaN(lastFinalAt) ? finished : lastFinalAt;
  return { text: texts.join(' '), elapsedMs: finished - started, latencyMs: Math.max(0, final - end) };
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function measure(
  name: string,
  note: string,
  transcriber: Transcriber,
  speech: readonly Uint8Array[],
  latencySentences: number,
  log: (line: string) => void,
): Promise<RecogniserResult> {
  log(`transcription: ${name}: ${speech.length} sentences as fast as it takes them ...`);
  const pairs: { reference: string; hypothesis: string }[] = [];
  let elapsedMs = 0;
  let audioMs = 0;
  for (const [index, pcm] of speech.entries()) {
    const run = await transcribeOnce(transcriber, pcm, index, false);
    elapsedMs += run.elapsedMs;
    audioMs += pcm.byteLength / SPEECH_BYTES_PER_MS;
    pairs.push({ reference: CLINICAL_SCRIPT[index] ?? '', hypothesis: run.text });
  }
  log(`transcription: ${name}: ${latencySentences} sentences at real-time pace ...`);
  const latencies: number[] = [];
  for (const [index, pcm] of speech.slice(0, latencySentences).entries()) {
    latencies.push((await transcribeOnce(transcriber, pcm, 100 + index, true)).latencyMs);
  }
  return {
    name,
    isClinicalGrade: transcriber.isClinicalGrade,
    note,
    realTimeFactor: audioMs > 0 ? elapsedMs / audioMs : Number.NaN,
    latencyMs: { samples: latencies.length, p50: percentile(latencies, 50), max: Math.max(...latencies) },
    wordErrors: corpusWordErrors(pairs),
    examples: pairs.slice(0, 3),
  };
}

type Cell = string | number;

function table(header: readonly Cell[], rows: readonly (readonly Cell[])[]): string {
  const all = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column]?.length ?? 0)));
  return all
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

export function formatTranscriptionReport(report: TranscriptionReport): string {
  const lines = [
    '',
    `Transcription: ${report.script.sentences} clinical sentences, ${report.script.words} words, ` +
      `${fixed(report.script.audioSeconds, 1)} s of espeak-ng speech (16 kHz mono), ${report.machine.cores} cores`,
    `  espeak-ng: ${report.tools.espeakNg ?? 'not installed'}; pocketsphinx: ${report.tools.pocketsphinx}`,
    '',
  ];
  if (report.recognisers.length > 0) {
    lines.push(
      table(
        ['recogniser', 'clinical', 'RTF', 'latency p50 ms', 'latency max ms', 'WER', 'S', 'D', 'I', 'ref words'],
        report.recognisers.map((r) => [
          r.name,
          r.isClinicalGrade ? 'yes' : 'NO',
          fixed(r.realTimeFactor, 3),
          fixed(r.latencyMs.p50, 0),
          fixed(r.latencyMs.max, 0),
          fixed(r.wordErrors.wer, 2),
          r.wordErrors.substitutions,
          r.wordErrors.deletions,
          r.wordErrors.insertions,
          r.wordErrors.referenceWords,
        ]),
      ),
      '',
      'RTF: processing time / audio duration, audio streamed as fast as the recogniser takes it.',
      'Latency: from the last audio frame of a sentence (streamed at real-time pace) to its last final result.',
      'WER: (substitutions + deletions + insertions) / reference words over the whole script; above 1 is possible.',
    );
    for (const r of report.recognisers) {
      lines.push('', `${r.name}: ${r.note}`);
      for (const example of r.examples) lines.push(`  ref: ${example.reference}`, `  hyp: ${example.hypothesis}`);
    }
  }
  for (const notice of report.notices) lines.push('', `NOTICE: ${notice}`);
  return lines.join('\n');
}

export async function runTranscriptionSuite(options: TranscriptionSuiteOptions): Promise<TranscriptionReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const repoRoot = resolve(options.repoRoot);
  const latencySentences = options.latencySentences ?? DEFAULT_LATENCY_SENTENCES;
  const notices: string[] = [];
  const espeak = espeakVersion();
  const sphinx = findPocketsphinx();

  const speech: Uint8Array[] = [];
  if (espeak) {
    log(`transcription: speaking ${CLINICAL_SCRIPT.length} sentences with espeak-ng ...`);
    for (const sentence of CLINICAL_SCRIPT) speech.push(await synthesiseSpeech(sentence));
  } else {
    notices.push(
      'espeak-ng is not installed, so there is no speech to measure: run infra/local/setup/install-speech-tools.sh',
    );
  }

  const recognisers: RecogniserResult[] = [];
  if (speech.length > 0) {
    if (sphinx.available) {
      recognisers.push(
        await measure(
          'pocketsphinx',
          'PIPELINE DEMO: Debian pocketsphinx 5prealpha, US English model, offline. Never a clinical transcriber.',
          new PocketsphinxTranscriber({ binary: sphinx.binary }),
          speech,
          latencySentences,
          log,
        ),
      );
    } else {
      notices.push(`pocketsphinx skipped: ${sphinx.reason}`);
    }
    const fake = await startTranscribeStreamingFake({ script: demoTranscribeResponder });
    try {
      recognisers.push(
        await measure(
          'transcribe-fake',
          'PLACEHOLDER: the real Transcribe Medical adapter against the loopback fake, which answers how much audio ' +
            'arrived, not what was said. Its RTF and latency measure the adapter and event-stream path; its WER ' +
            'is meaningless by design.',
          new TranscribeMedicalTranscriber({
            region: 'us-east-1',
            endpoint: fake.endpoint,
            isClinicalGrade: false,
            credentials: { accessKeyId: 'BENCHFAKEKEY', secretAccessKey: 'bench-fake-secret' },
          }),
          speech,
          latencySentences,
          log,
        ),
      );
    } finally {
      await fake.close();
    }
  }
  notices.push(
    'Amazon Transcribe Medical itself is not measured here (no AWS access from the benchmark); the fake stands in.',
  );

  const report: TranscriptionReport = {
    suite: 'transcription',
    ...benchRun(repoRoot),
    tools: {
      espeakNg: espeak ?? null,
      pocketsphinx: sphinx.available ? sphinx.binary : `unavailable (${sphinx.reason})`,
    },
    script: {
      sentences: CLINICAL_SCRIPT.length,
      words: CLINICAL_SCRIPT.reduce((total, sentence) => total + normaliseWords(sentence).length, 0),
      audioSeconds: speech.reduce((total, pcm) => total + pcm.byteLength / SPEECH_BYTES_PER_MS, 0) / 1000,
    },
    recognisers,
    notices,
  };
  log(formatTranscriptionReport(report));
  const relative = options.resultsPath ?? 'bench/results/transcription.json';
  if (relative !== false) {
    await writeBenchResults(repoRoot, relative, report);
    log(`results written to ${relative}`);
  }
  return report;
}
