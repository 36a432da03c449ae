/** Chooses the local runtime's transcriber (`LOCAL_TRANSCRIBER`); none of the choices is a clinical transcriber. */
import { z } from 'zod';
import { TranscribeMedicalTranscriber } from '../adapters/aws/transcribe-medical-transcriber.ts';
import { PocketsphinxTranscriber } from '../adapters/local/pocketsphinx-transcriber.ts';
import { TextFrameTranscriber } from '../adapters/local/text-frame-transcriber.ts';
import { type Transcriber, TranscriptionFailed } from '../ports/transcriber.ts';
import { RoutingTranscriber } from '../transcription/routing-transcriber.ts';
import type { AdapterInfo } from './ports.ts';

export const LOCAL_TRANSCRIBER_ENV = 'LOCAL_TRANSCRIBER';

/**
 * - `transcribe-fake` (default): the real Transcribe Medical adapter against the loopback event-stream fake,
 *   which answers PLACEHOLDER text; needs nothing installed.
 * - `pocketsphinx`: Debian's offline recogniser, a pipeline demo (infra/local/setup/install-speech-tools.sh).
 * - `text-frames`: transcripts only; audio segments are refused.
 */
export const LocalTranscriberChoice = z.enum(['transcribe-fake', 'pocketsphinx', 'text-frames']);
export type LocalTranscriberChoice = z.infer<typeof LocalTranscriberChoice>;

/** Reads `LOCAL_TRANSCRIBER`; an unknown value stops the start-up rather than silently using another recogniser. */
export function readLocalTranscriberChoice(env: Readonly<Record<string, string | undefined>>): LocalTranscriberChoice {
  const raw = env[LOCAL_TRANSCRIBER_ENV]?.trim();
  if (!raw) return 'transcribe-fake';
  const parsed = LocalTranscriberChoice.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${LOCAL_TRANSCRIBER_ENV} must be one of ${LocalTranscriberChoice.options.join(', ')}`);
  }
  return parsed.data;
}

/** Refuses audio: the local runtime was started with transcripts only. */
const NO_AUDIO: Transcriber = {
  name: 'no-audio',
  isClinicalGrade: false,
  // biome-ignore lint/correctness/useYield: refuses before producing anything.
  async *transcribe() {
    throw new TranscriptionFailed('UNAVAILABLE', 'No audio recogniser is configured; send text frames');
  },
};

export interface LocalTranscriberOptions {
  readonly choice: LocalTranscriberChoice;
  /** The loopback Transcribe fake's endpoint; required for `transcribe-fake`. */
  readonly transcribeEndpoint?: string;
  readonly region: string;
}

/** The transcriber port for the local runtime and what `/v1/health` and the start-up banner say about it. */
export function buildLocalTranscriber(options: LocalTranscriberOptions): {
  transcriber: Transcriber;
  info: AdapterInfo;
} {
  const textFrames = new TextFrameTranscriber();
  switch (options.choice) {
    case 'transcribe-fake': {
      if (!options.transcribeEndpoint) throw new Error('The transcribe-fake transcriber needs the fake endpoint');
      const audio = new TranscribeMedicalTranscriber({
        region: options.region,
        endpoint: options.transcribeEndpoint,
        isClinicalGrade: false,
        // The fake checks that requests are signed, not by whom.
        credentials: { accessKeyId: 'LOCALFAKEKEY', secretAccessKey: 'local-fake-secret' },
      });
      return {
        transcriber: new RoutingTranscriber(audio, textFrames),
        info: {
          adapter: 'TranscribeMedicalTranscriber -> loopback Transcribe fake (+ text frames)',
          kind: 'local',
          limitation:
            'PLACEHOLDER TRANSCRIPTS: the loopback fake recognises nothing; it answers how much audio arrived. ' +
            'Set LOCAL_TRANSCRIBER=pocketsphinx for an offline demo recogniser; AWS uses Transcribe Medical.',
        },
      };
    }
    case 'pocketsphinx':
      return {
        transcriber: new RoutingTranscriber(new PocketsphinxTranscriber(), textFrames),
        info: {
          adapter: 'PocketsphinxTranscriber (offline, + text frames)',
          kind: 'local',
          limitation:
            'PIPELINE DEMO, NOT CLINICAL: pocketsphinx gets most words of clinical speech wrong ' +
            '(word error rate near or above 1); AWS uses Transcribe Medical.',
        },
      };
    case 'text-frames':
      return {
        transcriber: new RoutingTranscriber(NO_AUDIO, textFrames),
        info: {
          adapter: 'TextFrameTranscriber (transcripts only)',
          kind: 'local',
          limitation: 'no audio recogniser: audio segments are refused; send text frames (`speaker: text` lines)',
        },
      };
  }
}
