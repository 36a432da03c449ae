/** Transcriber on Amazon Transcribe Medical streaming (StartMedicalStreamTranscription, CONVERSATION, speaker labels). */
import {
  type AudioStream,
  type MedicalItem,
  type MedicalResult,
  StartMedicalStreamTranscriptionCommand,
  TranscribeStreamingClient,
} from '@aws-sdk/client-transcribe-streaming';
import { log, tracer } from '../../observability/telemetry.ts';
import {
  type AudioSegment,
  type Transcriber,
  TranscriptionFailed,
  type TranscriptionFailureReason,
  type TranscriptResult,
} from '../../ports/transcriber.ts';
import { audioFrames } from '../../transcription/audio/audio-frames.ts';

const TRANSCRIBER_NAME = 'transcribe-medical';

// Transcribe's streaming best practices recommend 50-200 ms of audio per AudioEvent (1 s at most); 100 ms of
// 16-bit mono PCM is sampleRate / 10 * 2 bytes (3,200 at 16 kHz).
const PCM_FRAME_MS = 100;
// Ogg/Opus has no fixed bytes-per-ms; 1 KiB stays well under 1 s of speech at the bitrates browsers record.
const OGG_OPUS_FRAME_BYTES = 1024;

const FAILURE_MESSAGES: Readonly<Record<TranscriptionFailureReason, string>> = {
  THROTTLED: 'The transcription service is throttling new streams; retry the segment later',
  BAD_AUDIO: 'The transcription service rejected the audio or its format',
  LIMIT_EXCEEDED: 'The transcription stream exceeded a service limit',
  UNAVAILABLE: 'The transcription service is unavailable',
  TIMEOUT: 'The segment was not transcribed in time',
};

// Without a logger the SDK's retry middleware warns on the console for every failed stream; failures are logged
// here instead, by name only.
const SILENT_SDK_LOGGER = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export interface TranscribeMedicalTranscriberOptions {
  readonly region: string;
  /** Another endpoint than the regional one: a VPC interface endpoint, or the loopback fake in tests. */
  readonly endpoint?: string;
  /** Static credentials (the loopback fake); the default provider chain is used otherwise. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Transcribe Medical streaming supports US English only. */
  readonly languageCode?: 'en-US';
  /** An existing client (tests, or to share one per Lambda container). */
  readonly client?: TranscribeStreamingClient;
  /** False when the endpoint is not Transcribe Medical (the loopback fake): the port must not claim clinical grade. */
  readonly isClinicalGrade?: boolean;
}

function httpStatus(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

/**
 * The failure reason for an SDK error. LimitExceededException answers both a refused start (HTTP 429: too many
 * concurrent streams, so throttling) and a stream over a limit (an event-stream exception, no HTTP status).
 */
export function transcriptionFailureReason(error: unknown): TranscriptionFailureReason {
  const name = error instanceof Error ? error.name : '';
  const status = httpStatus(error);
  if (name === 'ThrottlingException' || name === 'TooManyRequestsException' || status === 429) return 'THROTTLED';
  if (name === 'LimitExceededException') return 'LIMIT_EXCEEDED';
  if (name === 'BadRequestException') return 'BAD_AUDIO';
  return 'UNAVAILABLE';
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
}

/** Joins items as words, with punctuation attached to the word before it. */
function itemsText(items: readonly MedicalItem[]): string {
  let text = '';
  for (const item of items) {
    const content = item.Content ?? '';
    if (!content) continue;
    text += item.Type === 'punctuation' || text === '' ? content : ` ${content}`;
  }
  return text;
}

/** Streaming results label speakers `0`, `1`, ...; the port uses the batch form `spk_0`, `spk_1`. */
function speakerLabel(speaker: string | undefined): string | undefined {
  if (!speaker) return undefined;
  return /^\d+$/.test(speaker) ? `spk_${speaker}` : speaker;
}

function toMs(seconds: number | undefined): number {
  return Math.max(0, Math.round((seconds ?? 0) * 1000));
}

/**
 * Maps one service result to port results. A final result spanning several speakers is split into one result
 * per speaker turn (ids `<ResultId>#<n>`), so each stored segment has a single speaker; a partial keeps its id.
 */
export function toTranscriptResults(result: MedicalResult): TranscriptResult[] {
  const alternative = result.Alternatives?.[0];
  if (!result.ResultId || !alternative) return [];
  const items = alternative.Items ?? [];
  const firstSpeaker = speakerLabel(items.find((item) => item.Speaker)?.Speaker);
  const whole: TranscriptResult = {
    resultId: result.ResultId,
    isPartial: result.IsPartial === true,
    text: alternative.Transcript ?? itemsText(items),
    startMs: toMs(result.StartTime),
    endMs: toMs(result.EndTime),
    ...(firstSpeaker ? { speaker: firstSpeaker } : {}),
  };
  if (whole.isPartial) return whole.text ? [whole] : [];

  const turns: MedicalItem[][] = [];
  for (const item of items) {
    const current = turns.at(-1);
    const speaker = item.Speaker ?? current?.[0]?.Speaker;
    if (current && (current[0]?.Speaker === speaker || item.Type === 'punctuation')) current.push(item);
    else turns.push([{ ...item, ...(speaker ? { Speaker: speaker } : {}) }]);
  }
  if (turns.length <= 1) return whole.text ? [whole] : [];
  return turns.map((turn, index) => {
    const timed = turn.filter((item) => item.Type !== 'punctuation');
    const speaker = speakerLabel(turn[0]?.Speaker);
    return {
      resultId: `${result.ResultId}#${index}`,
      isPartial: false,
      text: itemsText(turn),
      startMs: toMs(timed[0]?.StartTime ?? result.StartTime),
      endMs: toMs(timed.at(-1)?.EndTime ?? result.EndTime),
      ...(speaker ? { speaker } : {}),
    };
  });
}

export class TranscribeMedicalTranscriber implements Transcriber {
  readonly name = TRANSCRIBER_NAME;
  readonly isClinicalGrade: boolean;
  private readonly client: TranscribeStreamingClient;
  private readonly languageCode: 'en-US';

  constructor(options: TranscribeMedicalTranscriberOptions) {
    this.languageCode = options.languageCode ?? 'en-US';
    this.isClinicalGrade = options.isClinicalGrade ?? true;
    this.client =
      options.client ??
      new TranscribeStreamingClient({
        region: options.region,
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        ...(options.credentials ? { credentials: options.credentials } : {}),
        // The audio iterable cannot be replayed, so the SDK must not retry: the caller retries the whole segment.
        maxAttempts: 1,
        logger: SILENT_SDK_LOGGER,
      });
  }

  /** The adapter a Lambda uses: one traced client per container, regional endpoint (through the VPC endpoint). */
  static create(region: string): TranscribeMedicalTranscriber {
    return new TranscribeMedicalTranscriber({
      region,
      client: tracer.captureAWSv3Client(
        new TranscribeStreamingClient({ region, maxAttempts: 1, logger: SILENT_SDK_LOGGER }),
      ),
    });
  }

  async *transcribe(segment: AudioSegment, signal?: AbortSignal): AsyncIterable<TranscriptResult> {
    if (segment.encoding === 'text-frames') {
      throw new TranscriptionFailed('BAD_AUDIO', 'Text frames are not audio; use the text-frame transcriber');
    }
    // Transcribe Medical streaming accepts 8-48 kHz; refusing here keeps a bad rate from becoming a stream error.
    if (!Number.isInteger(segment.sampleRateHz) || segment.sampleRateHz < 8000 || segment.sampleRateHz > 48_000) {
      throw new TranscriptionFailed('BAD_AUDIO', 'The audio sample rate is not supported');
    }
    const fields = { transcriber: this.name, segmentSeq: segment.segmentSeq };
    const frameBytes =
      segment.encoding === 'pcm-s16le' ? ((segment.sampleRateHz * 2) / 1000) * PCM_FRAME_MS : OGG_OPUS_FRAME_BYTES;
    // Ends the request and stops pulling audio when the caller aborts, and also when this generator ends early
    // (a failure, or a consumer that stops reading), so no audio keeps flowing to a stream nobody reads.
    const stop = new AbortController();
    const forwardAbort = () => stop.abort(signal?.reason);
    signal?.addEventListener('abort', forwardAbort, { once: true });
    try {
      const response = await this.client.send(
        new StartMedicalStreamTranscriptionCommand({
          LanguageCode: this.languageCode,
          MediaSampleRateHertz: segment.sampleRateHz,
          MediaEncoding: segment.encoding === 'pcm-s16le' ? 'pcm' : 'ogg-opus',
          Specialty: segment.specialty,
          Type: 'CONVERSATION',
          ShowSpeakerLabel: true,
          AudioStream: audioEvents(segment.audio, frameBytes, stop.signal),
        }),
        { abortSignal: stop.signal },
      );
      if (!response.TranscriptResultStream) throw new TranscriptionFailed('UNAVAILABLE', FAILURE_MESSAGES.UNAVAILABLE);
      for await (const event of response.TranscriptResultStream) {
        signal?.throwIfAborted();
        for (const result of event.TranscriptEvent?.Transcript?.Results ?? []) {
          yield* toTranscriptResults(result);
        }
      }
      // The audio ends early on abort, so the service may close the stream normally: still a cancellation.
      signal?.throwIfAborted();
    } catch (error) {
      if (error instanceof TranscriptionFailed) throw error;
      if (isAbort(error, signal)) throw error;
      const reason = transcriptionFailureReason(error);
      // Only the error's name and status: service messages can quote the request.
      log.warn('transcription stream failed', {
        ...fields,
        reason,
        errorName: error instanceof Error ? error.name : 'unknown',
        status: httpStatus(error) ?? 0,
      });
      throw new TranscriptionFailed(reason, FAILURE_MESSAGES[reason]);
    } finally {
      signal?.removeEventListener('abort', forwardAbort);
      stop.abort();
    }
  }
}

async function* audioEvents(
  audio: AsyncIterable<Uint8Array>,
  frameBytes: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<AudioStream> {
  for await (const frame of audioFrames(audio, frameBytes)) {
    if (signal?.aborted) return;
    yield { AudioEvent: { AudioChunk: frame } };
  }
}
