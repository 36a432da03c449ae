/**
 * PIPELINE DEMO recogniser: Debian's pocketsphinx (CMU Sphinx, US English model) run offline, fed 16 kHz PCM
 * through its stdin so no audio touches the disk. Its word error rate on clinical speech is far too high for
 * any clinical use (see `npm run bench -- transcription`); it exists to show the audio path working offline.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { log } from '../../observability/telemetry.ts';
import {
  type AudioSegment,
  type Transcriber,
  TranscriptionFailed,
  type TranscriptResult,
} from '../../ports/transcriber.ts';

export const POCKETSPHINX_BINARY = 'pocketsphinx_continuous';
/** Where Debian's pocketsphinx-en-us puts the acoustic model the binary uses by default. */
export const POCKETSPHINX_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us/en-us';

// `-time yes` prints one line per word: `word start end confidence`, utterances framed by <s> ... </s>.
const WORD_LINE = /^(\S+) (\d+\.\d+) (\d+\.\d+) (\d+\.\d+)$/;
// Fillers and markers the decoder emits that are not words.
const NON_WORDS = new Set(['<s>', '</s>', '<sil>', '[NOISE]', '[SPEECH]', '[LAUGH]', '[COUGH]', '[BREATH]', '[UM]']);

/** Where pocketsphinx would run from, or why it cannot: the binary on PATH and the US English model. */
export function findPocketsphinx(
  pathVariable = process.env.PATH ?? '',
): { available: true; binary: string } | { available: false; reason: string } {
  const binary = pathVariable
    .split(delimiter)
    .filter(Boolean)
    .map((directory) => join(directory, POCKETSPHINX_BINARY))
    .find((candidate) => {
      try {
        accessSync(candidate, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  if (!binary) {
    return {
      available: false,
      reason: `${POCKETSPHINX_BINARY} is not installed (infra/local/setup/install-speech-tools.sh)`,
    };
  }
  try {
    accessSync(POCKETSPHINX_MODEL_DIR, constants.R_OK);
  } catch {
    return {
      available: false,
      reason: 'the pocketsphinx-en-us model is not installed (infra/local/setup/install-speech-tools.sh)',
    };
  }
  return { available: true, binary };
}

interface Utterance {
  words: { word: string; startMs: number; endMs: number }[];
}

export interface PocketsphinxTranscriberOptions {
  /** The binary to run; found on PATH when omitted. */
  readonly binary?: string;
}

export class PocketsphinxTranscriber implements Transcriber {
  readonly name = 'pocketsphinx';
  readonly isClinicalGrade = false;
  private readonly binary: string | undefined;

  constructor(options: PocketsphinxTranscriberOptions = {}) {
    this.binary = options.binary;
  }

  async *transcribe(segment: AudioSegment, signal?: AbortSignal): AsyncIterable<TranscriptResult> {
    if (segment.encoding !== 'pcm-s16le' || segment.sampleRateHz !== 16_000) {
      throw new TranscriptionFailed('BAD_AUDIO', 'The pocketsphinx demo accepts 16 kHz 16-bit PCM only');
    }
    signal?.throwIfAborted();
    const found = this.binary ? { available: true as const, binary: this.binary } : findPocketsphinx();
    if (!found.available) throw new TranscriptionFailed('UNAVAILABLE', 'The offline recogniser is not installed');

    // Raw PCM through a pipe to `-infile /dev/stdin`: the audio never lands in a file. Node gives a child a socket,
    // not a pipe, as stdin and the decoder cannot open(2) a socket, so `cat |` turns it into a real pipe.
    // Logs go nowhere: they echo hypotheses.
    const child = spawn(
      'sh',
      ['-c', 'cat | "$0" "$@"', found.binary, '-infile', '/dev/stdin', '-logfn', '/dev/null', '-time', 'yes'],
      // Its own process group, so stopping it stops both sides of the pipeline.
      { stdio: ['pipe', 'pipe', 'ignore'], detached: true },
    );
    const exited = new Promise<number | null>((resolve) => {
      child.once('error', () => resolve(-1));
      child.once('close', (code) => resolve(code));
    });
    const stopChild = () => {
      if (child.pid === undefined || child.exitCode !== null) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    signal?.addEventListener('abort', stopChild, { once: true });
    const feeding = feed(segment.audio, child.stdin, signal);
    // Handled here so an early audio error is not an unhandled rejection; it is still awaited (and thrown) below.
    feeding.catch(() => undefined);

    let index = 0;
    let current: Utterance | undefined;
    try {
      for await (const line of createInterface({ input: child.stdout })) {
        const match = WORD_LINE.exec(line.trim());
        if (!match?.[1]) continue;
        const word = match[1];
        if (word === '<s>') current = { words: [] };
        else if (word === '</s>') {
          const words = current?.words ?? [];
          current = undefined;
          if (words.length === 0) continue;
          yield {
            resultId: `sphinx-${segment.segmentSeq}-${index++}`,
            isPartial: false,
            text: words.map((entry) => entry.word).join(' '),
            startMs: words[0]?.startMs ?? 0,
            endMs: words.at(-1)?.endMs ?? 0,
          };
        } else if (!NON_WORDS.has(word)) {
          current?.words.push({
            // Alternate pronunciations come back as `word(2)`.
            word: word.replace(/\(\d+\)$/, ''),
            startMs: Math.round(Number(match[2]) * 1000),
            endMs: Math.round(Number(match[3]) * 1000),
          });
        }
      }
      signal?.throwIfAborted();
      const [code] = await Promise.all([exited, feeding]);
      if (code !== 0) {
        log.warn('offline recogniser failed', { transcriber: this.name, exitCode: code ?? -1 });
        throw new TranscriptionFailed('UNAVAILABLE', 'The offline recogniser failed');
      }
    } finally {
      signal?.removeEventListener('abort', stopChild);
      stopChild();
      await feeding.catch(() => undefined);
    }
  }
}

/** Writes the audio to the child's stdin with back-pressure, then closes it; a dead child ends the feed quietly. */
async function feed(
  audio: AsyncIterable<Uint8Array>,
  stdin: NodeJS.WritableStream & { destroyed?: boolean },
  signal: AbortSignal | undefined,
): Promise<void> {
  stdin.on('error', () => undefined); // EPIPE when the decoder exits early; the exit code reports it.
  try {
    for await (const chunk of audio) {
      if (signal?.aborted || stdin.destroyed) return;
      if (!stdin.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            stdin.off('drain', done);
            stdin.off('close', done);
            resolve();
          };
          stdin.once('drain', done);
          stdin.once('close', done);
        });
      }
    }
  } finally {
    stdin.end();
  }
}
