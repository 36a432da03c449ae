/**
 * One message on an encounter socket, answered by one reply that the caller returns as the route response (API
 * Gateway sends it to the client; so does the local gateway). A segment is claimed by its sequence number (once,
 * while the encounter is open), streamed to the transcriber from memory by this one invocation, its finals stored
 * sealed and returned in the reply; progress (`accepted`, partials) is pushed only where a push channel exists.
 * The audio is never written anywhere: it lives in this call's memory only.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { RequestAudit } from '../audit/request-audit.ts';
import { log, metrics } from '../observability/telemetry.ts';
import type { Clock } from '../ports/clock.ts';
import type { ConnectionPush, PushOutcome } from '../ports/connection-push.ts';
import type { ConnectionBinding, EncounterRecord, EncounterStore, StoredSegment } from '../ports/encounter-store.ts';
import type { EnvelopeKeys } from '../ports/envelope-keys.ts';
import { type AudioEncoding, type AudioSegment, type Transcriber, TranscriptionFailed } from '../ports/transcriber.ts';
import { isOggOpus } from './audio/is-ogg-opus.ts';
import { MAX_SEGMENT_AUDIO_BYTES, MAX_SOCKET_MESSAGE_BYTES, PCM_SAMPLE_RATE_HZ } from './encounter-requests.ts';
import {
  ClientMessage,
  type SegmentMessage,
  type ServerMessage,
  type SocketErrorCode,
  type TranscriptFinal,
} from './socket-protocol.ts';
import { TranscriptCipher } from './transcript-cipher.ts';

/** Transcribe Medical streams best in 50-200 ms chunks: 100 ms of 16 kHz 16-bit mono PCM. */
const PCM_CHUNK_BYTES = 3_200;
const OTHER_CHUNK_BYTES = 4_096;

export interface SocketMessagePorts {
  readonly store: EncounterStore;
  readonly keys: EnvelopeKeys;
  /** Progress only (never a reply): the local socket, or a push that is unavailable (AWS). */
  readonly push: ConnectionPush;
  readonly clock: Clock;
  /** Routes text-frame segments to the text-frame mode and audio to the recogniser. */
  readonly transcriber: Transcriber;
  /** The audit of this connection's acts, as the clinician bound to it. */
  auditFor(binding: ConnectionBinding): RequestAudit;
}

export interface InboundSocketMessage {
  readonly connectionId: string;
  /** The raw message as API Gateway delivers it (text); never logged. */
  readonly body: string | undefined;
  readonly isBase64Encoded?: boolean;
  /** When the message (the end of the segment's audio) arrived, for the latency metric. */
  readonly receivedAtMs: number;
}

const MESSAGES: Readonly<Record<SocketErrorCode, string>> = {
  INVALID_MESSAGE: 'The message is not a valid segment or status message',
  MESSAGE_TOO_LARGE: `A message may be at most ${MAX_SOCKET_MESSAGE_BYTES} bytes`,
  SEGMENT_TOO_LARGE: `A segment may carry at most ${MAX_SEGMENT_AUDIO_BYTES} bytes of audio`,
  WRONG_SEGMENT_KIND: "The segment does not match the encounter's encoding (audio or text)",
  INVALID_AUDIO: "The audio does not match the encounter's encoding",
  SEGMENT_ALREADY_RECEIVED: 'This segment number was already received',
  ENCOUNTER_ENDED: 'This encounter has ended',
  NOT_CONNECTED: 'This connection is not bound to an encounter',
  TRANSCRIPTION_FAILED: 'The segment could not be transcribed; it may be sent again',
  AUDIT_UNAVAILABLE: 'The segment was not processed because it could not be audited; it may be sent again',
  INTERNAL_ERROR: 'The segment could not be processed; it may be sent again',
};

export function socketError(
  code: SocketErrorCode,
  extra: { seq?: number; retryable?: boolean; reason?: TranscriptionFailed['reason'] } = {},
): ServerMessage {
  return { type: 'error', code, message: MESSAGES[code], ...extra };
}

export const segmentIdOf = (encounterId: string, seq: number, index: number) => `${encounterId}.${seq}.${index}`;

async function* chunksOf(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

function parseMessage(body: string | undefined, isBase64: boolean): ClientMessage | SocketErrorCode {
  if (body === undefined || body.length === 0) return 'INVALID_MESSAGE';
  const text = isBase64 ? Buffer.from(body, 'base64').toString('utf8') : body;
  if (Buffer.byteLength(text, 'utf8') > MAX_SOCKET_MESSAGE_BYTES) return 'MESSAGE_TOO_LARGE';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'INVALID_MESSAGE';
  }
  const parsed = ClientMessage.safeParse(json);
  return parsed.success ? parsed.data : 'INVALID_MESSAGE';
}

/** The segment's bytes, checked against the encounter's encoding; a code when they do not fit it. */
function segmentBytes(message: SegmentMessage, encoding: AudioEncoding): Uint8Array | SocketErrorCode {
  if (encoding === 'text-frames') {
    if (message.text === undefined || message.audio !== undefined) return 'WRONG_SEGMENT_KIND';
    return Buffer.from(message.text, 'utf8');
  }
  if (message.audio === undefined || message.text !== undefined) return 'WRONG_SEGMENT_KIND';
  const audio = Buffer.from(message.audio, 'base64');
  if (audio.length > MAX_SEGMENT_AUDIO_BYTES) return 'SEGMENT_TOO_LARGE';
  if (audio.length === 0) return 'INVALID_AUDIO';
  if (encoding === 'pcm-s16le' && audio.length % 2 !== 0) return 'INVALID_AUDIO';
  if (encoding === 'ogg-opus' && !isOggOpus(audio)) return 'INVALID_AUDIO';
  return audio;
}

function nextSeqOf(encounter: EncounterRecord): number {
  return encounter.claimed.reduce((max, seq) => Math.max(max, seq + 1), 0);
}

/**
 * Progress is best effort: a missing push channel (AWS) or a failed push never fails the segment, whose reply and
 * stored finals are what count.
 */
async function pushProgress(ports: SocketMessagePorts, connectionId: string, message: ServerMessage): Promise<void> {
  let outcome: PushOutcome;
  try {
    outcome = await ports.push.push(connectionId, message);
  } catch (error) {
    log.warn('progress push failed', { error: error instanceof Error ? error.name : 'unknown' });
    return;
  }
  if (outcome !== 'delivered') log.debug('progress not pushed', { outcome });
}

/** Handles one client message and returns the one reply to send back as the route response. */
export async function handleSocketMessage(
  message: InboundSocketMessage,
  ports: SocketMessagePorts,
): Promise<ServerMessage> {
  const parsed = parseMessage(message.body, message.isBase64Encoded ?? false);
  if (typeof parsed === 'string') return socketError(parsed);
  const binding = await ports.store.findConnection(message.connectionId);
  const encounter = binding ? await ports.store.get(binding.encounterId) : undefined;
  if (!binding || !encounter) return socketError('NOT_CONNECTED');
  if (parsed.action === 'status') {
    const done = new Set(encounter.done);
    return {
      type: 'status',
      encounterId: encounter.encounterId,
      status: encounter.status,
      nextSeq: nextSeqOf(encounter),
      done: [...encounter.done].sort((a, b) => a - b),
      inFlight: encounter.claimed.filter((seq) => !done.has(seq)).sort((a, b) => a - b),
    };
  }
  return streamSegment(parsed, encounter, binding, message, ports);
}

async function streamSegment(
  message: SegmentMessage,
  encounter: EncounterRecord,
  binding: ConnectionBinding,
  inbound: InboundSocketMessage,
  ports: SocketMessagePorts,
): Promise<ServerMessage> {
  const { seq } = message;
  const progress = (update: ServerMessage) => pushProgress(ports, inbound.connectionId, update);
  const bytes = segmentBytes(message, encounter.encoding);
  if (typeof bytes === 'string') return socketError(bytes, { seq });
  // The key is opened before the claim, so a key failure leaves no claim behind.
  const cipher = await TranscriptCipher.forEncounter(ports.keys, encounter.encounterId, encounter.encryptedDataKey);
  const claim = await ports.store.claimSegment(encounter.encounterId, seq);
  if (claim !== 'claimed') {
    return socketError(claim === 'duplicate' ? 'SEGMENT_ALREADY_RECEIVED' : 'ENCOUNTER_ENDED', { seq });
  }
  const audit = ports.auditFor(binding);
  try {
    await audit.allowed({
      resource: { patientScope: encounter.patientScope, encounterId: encounter.encounterId },
      purpose: 'treatment',
    });
  } catch (error) {
    log.error('audit record failed', error);
    await ports.store.releaseSegment(encounter.encounterId, seq);
    return socketError('AUDIT_UNAVAILABLE', { seq, retryable: true });
  }
  await progress({ type: 'accepted', seq });

  const { transcriber } = ports;
  const offsetMs = message.offsetMs ?? 0;
  const finals: StoredSegment[] = [];
  const replies: TranscriptFinal[] = [];
  let lastEndMs = 0;
  try {
    const segment: AudioSegment = {
      encounterId: encounter.encounterId,
      segmentSeq: seq,
      encoding: encounter.encoding,
      sampleRateHz: encounter.sampleRateHz,
      specialty: encounter.specialty,
      audio: chunksOf(bytes, encounter.encoding === 'pcm-s16le' ? PCM_CHUNK_BYTES : OTHER_CHUNK_BYTES),
    };
    for await (const result of transcriber.transcribe(segment)) {
      const startMs = offsetMs + result.startMs;
      const endMs = offsetMs + result.endMs;
      lastEndMs = Math.max(lastEndMs, result.endMs);
      const speaker = result.speaker ? { speaker: result.speaker } : {};
      if (result.isPartial) {
        await progress({
          type: 'partial',
          seq,
          resultId: result.resultId,
          text: result.text,
          startMs,
          endMs,
          ...speaker,
        });
        continue;
      }
      if (result.text.trim().length === 0) continue;
      const segmentId = segmentIdOf(encounter.encounterId, seq, finals.length);
      finals.push({
        segmentId,
        seq,
        index: finals.length,
        startMs,
        endMs,
        sealed: cipher.seal(segmentId, { ...speaker, text: result.text }),
      });
      replies.push({ segmentId, text: result.text, startMs, endMs, ...speaker });
    }
    await ports.store.putFinals(encounter.encounterId, seq, finals);
  } catch (error) {
    await ports.store.releaseSegment(encounter.encounterId, seq);
    if (error instanceof TranscriptionFailed) {
      const failure = metrics.singleMetric();
      failure.addDimension('reason', error.reason);
      failure.addMetric('TranscriptionFailures', MetricUnit.Count, 1);
      log.warn('segment transcription failed', { reason: error.reason, transcriber: transcriber.name });
      await audit.failed(error.reason).catch((auditError: unknown) => log.error('audit record failed', auditError));
      return socketError('TRANSCRIPTION_FAILED', { seq, retryable: true, reason: error.reason });
    }
    log.error('segment processing failed', error);
    await audit.failed('INTERNAL_ERROR').catch((auditError: unknown) => log.error('audit record failed', auditError));
    return socketError('INTERNAL_ERROR', { seq, retryable: true });
  }
  const audioSeconds = encounter.encoding === 'pcm-s16le' ? bytes.length / (2 * PCM_SAMPLE_RATE_HZ) : lastEndMs / 1000;
  if (encounter.encoding !== 'text-frames') {
    const seconds = metrics.singleMetric();
    seconds.addDimension('transcriber', transcriber.name);
    seconds.addMetric('TranscribedAudioSeconds', MetricUnit.Seconds, audioSeconds);
  }
  if (finals.length > 0) {
    metrics.addMetric(
      'TranscriptSegmentLatency',
      MetricUnit.Milliseconds,
      Math.max(0, ports.clock.now().getTime() - inbound.receivedAtMs),
    );
  }
  log.debug('segment transcribed', { seq, finals: finals.length, transcriber: transcriber.name });
  return { type: 'segment-done', seq, finals: replies };
}
