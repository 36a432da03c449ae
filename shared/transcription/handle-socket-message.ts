/**
 * One message on an encounter socket, answered by one reply that the caller returns as the route response (API
 * Gateway sends it to the client; so does the local gateway). A segment is claimed by its sequence number (once,
 * while the encounter is open), streamed to the transcriber from memory by this one invocation, its finals stored
 * sealed and returned in the reply; progress (`accepted`, partials) is pushed only where a push channel exists.
 * The audio is never written anywhere: it lives in this call's memory only.
 */

import { randomUUID } from 'node:crypto';
import type { RequestAudit } from '../audit/request-audit.ts';
import { Forbidden } from '../errors/domain-errors.ts';
import { type Caller, parseGroups } from '../identity/caller.ts';
import { recordMetric } from '../observability/record-metric.ts';
import { log } from '../observability/telemetry.ts';
import { billedStreamSeconds } from '../operations/pricing-table.ts';
import type { Clock } from '../ports/clock.ts';
import type { ConnectionPush, PushOutcome } from '../ports/connection-push.ts';
import {
  ClaimLost,
  type ConnectionBinding,
  type EncounterRecord,
  type EncounterStore,
  inFlightSegments,
  type SegmentClaim,
  type StoredSegment,
} from '../ports/encounter-store.ts';
import type { EnvelopeKeys } from '../ports/envelope-keys.ts';
import type { PanelDirectory } from '../ports/panel-directory.ts';
import { type AudioEncoding, type AudioSegment, type Transcriber, TranscriptionFailed } from '../ports/transcriber.ts';
import { isOggOpus } from './audio/is-ogg-opus.ts';
import { assertEncounterOwner } from './encounter-access.ts';
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

/** API Gateway drops a WebSocket route response that takes longer than its 29 s integration timeout. */
export const ROUTE_RESPONSE_LIMIT_MS = 29_000;
/** Kept back from the transcriber's deadline for storing the finals and returning the reply. */
export const REPLY_MARGIN_MS = 3_000;
/** Added to a claim's lease beyond the invocation's end, so a live invocation never loses its claim. */
export const LEASE_GRACE_MS = 10_000;

export interface SocketMessagePorts {
  readonly store: EncounterStore;
  readonly keys: EnvelopeKeys;
  /** Progress only (never a reply): the local socket, or a push that is unavailable (AWS). */
  readonly push: ConnectionPush;
  readonly clock: Clock;
  /** Panel membership, checked again on every segment: a patient taken off the panel stops the stream. */
  readonly panels: PanelDirectory;
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
  /**
   * How long this invocation may take to reply, from now: the Lambda's remaining time and, in AWS, what is left of
   * API Gateway's route-response limit. Defaults to that limit.
   */
  readonly replyWithinMs?: number;
  /** How long this invocation may run at all, from now (the lease of its claim covers it). Defaults to `replyWithinMs`. */
  readonly runsAtMostMs?: number;
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
  TOKEN_EXPIRED: 'The token this connection was opened with has expired; reconnect with a new token',
  NOT_PERMITTED: 'You may no longer stream this encounter',
  TRANSCRIPTION_FAILED: 'The segment could not be transcribed; it may be sent again',
  AUDIT_UNAVAILABLE: 'The segment was not processed because it could not be audited; it may be sent again',
  INTERNAL_ERROR: 'The segment could not be processed; it may be sent again',
};

/** Ends the iteration with a TIMEOUT failure when `signal` aborts, even if the source ignores the signal. */
async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncIterable<T> {
  const iterator = source[Symbol.asyncIterator]();
  const timedOut = new Promise<never>((_, reject) => {
    const onAbort = () => reject(new TranscriptionFailed('TIMEOUT', 'The segment was not transcribed in time'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  timedOut.catch(() => undefined);
  try {
    while (true) {
      const next = await Promise.race([iterator.next(), timedOut]);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // Not awaited: a source stuck in next() would hold the reply back.
    void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}

/** A failed release must not replace the reply: the claim's lease lapses on its own. */
async function releaseQuietly(store: EncounterStore, encounterId: string, claim: SegmentClaim): Promise<void> {
  try {
    await store.releaseSegment(encounterId, claim);
  } catch (error) {
    log.warn('segment release failed', { error: error instanceof Error ? error.name : 'unknown' });
  }
}

export function socketError(
  code: SocketErrorCode,
  extra: { seq?: number; retryable?: boolean; reason?: TranscriptionFailed['reason'] } = {},
): ServerMessage {
  return { type: 'error', code, message: MESSAGES[code], ...extra };
}

/** The clinician a connection is bound to, as a caller (the roles their token had when they connected). */
export function callerOfBinding(binding: ConnectionBinding): Caller {
  return {
    userId: binding.userId,
    username: binding.userId,
    roles: parseGroups(binding.roles.join(',')),
    clientId: undefined,
    sourceIp: undefined,
  };
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
  // Every reply after parsing names the segment it answers, so a client can match it to what it sent.
  const seq = parsed.action === 'segment' ? { seq: parsed.seq } : {};
  try {
    const binding = await ports.store.findConnection(message.connectionId);
    const encounter = binding ? await ports.store.get(binding.encounterId) : undefined;
    if (!binding || !encounter) return socketError('NOT_CONNECTED', seq);
    if (parsed.action === 'status') {
      return {
        type: 'status',
        encounterId: encounter.encounterId,
        status: encounter.status,
        nextSeq: nextSeqOf(encounter),
        done: [...encounter.done].sort((a, b) => a - b),
        inFlight: inFlightSegments(encounter, ports.clock.now().getTime()),
      };
    }
    return await streamSegment(parsed, encounter, binding, message, ports);
  } catch (error) {
    log.error('socket message failed', error);
    return socketError('INTERNAL_ERROR', { ...seq, retryable: true });
  }
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
  // Checked on every segment, not only at $connect: a connection lives up to two hours, longer than a token may.
  // A binding without a token expiry predates this check: refused, so the client reconnects with a fresh token.
  if (binding.tokenExpiresAt === undefined || ports.clock.now().getTime() >= binding.tokenExpiresAt * 1000) {
    return socketError('TOKEN_EXPIRED', { seq });
  }
  try {
    await assertEncounterOwner(encounter, callerOfBinding(binding), ports.panels);
  } catch (error) {
    if (!(error instanceof Forbidden)) throw error;
    await ports
      .auditFor(binding)
      .denied(error.code)
      .catch((auditError: unknown) => {
        log.error('audit record failed', auditError);
        recordMetric('FailClosedRefusals', 1, { reason: 'AUDIT_UNAVAILABLE' });
      });
    recordMetric('PolicyRefusals', 1, { code: error.code });
    return socketError('NOT_PERMITTED', { seq });
  }
  // The key is opened before the claim, so a key failure leaves no claim behind.
  const cipher = await TranscriptCipher.forEncounter(ports.keys, encounter.encounterId, encounter.encryptedDataKey);
  const replyWithinMs = inbound.replyWithinMs ?? ROUTE_RESPONSE_LIMIT_MS;
  const nowMs = ports.clock.now().getTime();
  const claim: SegmentClaim = {
    seq,
    attempt: randomUUID(),
    expiresAtMs: nowMs + Math.max(replyWithinMs, inbound.runsAtMostMs ?? replyWithinMs) + LEASE_GRACE_MS,
  };
  const outcome = await ports.store.claimSegment(encounter.encounterId, claim, nowMs);
  if (outcome !== 'claimed') {
    return socketError(outcome === 'duplicate' ? 'SEGMENT_ALREADY_RECEIVED' : 'ENCOUNTER_ENDED', { seq });
  }
  const audit = ports.auditFor(binding);
  try {
    await audit.allowed({
      resource: { patientScope: encounter.patientScope, encounterId: encounter.encounterId },
      purpose: 'treatment',
    });
  } catch (error) {
    log.error('audit record failed', error);
    recordMetric('FailClosedRefusals', 1, { reason: 'AUDIT_UNAVAILABLE' });
    await releaseQuietly(ports.store, encounter.encounterId, claim);
    return socketError('AUDIT_UNAVAILABLE', { seq, retryable: true });
  }
  await progress({ type: 'accepted', seq });

  const { transcriber } = ports;
  const offsetMs = message.offsetMs ?? 0;
  const finals: StoredSegment[] = [];
  const replies: TranscriptFinal[] = [];
  let lastEndMs = 0;
  const deadline = AbortSignal.timeout(Math.max(0, replyWithinMs - REPLY_MARGIN_MS));
  try {
    const segment: AudioSegment = {
      encounterId: encounter.encounterId,
      segmentSeq: seq,
      encoding: encounter.encoding,
      sampleRateHz: encounter.sampleRateHz,
      specialty: encounter.specialty,
      audio: chunksOf(bytes, encounter.encoding === 'pcm-s16le' ? PCM_CHUNK_BYTES : OTHER_CHUNK_BYTES),
    };
    for await (const result of untilAborted(transcriber.transcribe(segment, deadline), deadline)) {
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
    await ports.store.putFinals(encounter.encounterId, claim, finals);
  } catch (error) {
    await releaseQuietly(ports.store, encounter.encounterId, claim);
    if (error instanceof ClaimLost) {
      // Our lease lapsed and another attempt took the number, or the encounter ended: nothing of ours is visible.
      log.warn('segment claim lost before its finals were stored', { transcriber: transcriber.name });
      await audit.failed('CLAIM_LOST').catch((auditError: unknown) => log.error('audit record failed', auditError));
      const current = await ports.store.get(encounter.encounterId).catch(() => undefined);
      return current?.status === 'ended'
        ? socketError('ENCOUNTER_ENDED', { seq })
        : socketError('SEGMENT_ALREADY_RECEIVED', { seq });
    }
    const failure = deadline.aborted ? new TranscriptionFailed('TIMEOUT', 'timed out') : error;
    if (failure instanceof TranscriptionFailed) {
      recordMetric('TranscriptionFailures', 1, { reason: failure.reason });
      log.warn('segment transcription failed', { reason: failure.reason, transcriber: transcriber.name });
      await audit.failed(failure.reason).catch((auditError: unknown) => log.error('audit record failed', auditError));
      return socketError('TRANSCRIPTION_FAILED', { seq, retryable: true, reason: failure.reason });
    }
    log.error('segment processing failed', error);
    await audit.failed('INTERNAL_ERROR').catch((auditError: unknown) => log.error('audit record failed', auditError));
    return socketError('INTERNAL_ERROR', { seq, retryable: true });
  }
  const audioSeconds = encounter.encoding === 'pcm-s16le' ? bytes.length / (2 * PCM_SAMPLE_RATE_HZ) : lastEndMs / 1000;
  if (encounter.encoding !== 'text-frames') {
    recordMetric('TranscribedAudioSeconds', audioSeconds, { transcriber: transcriber.name });
    // Each segment is its own StartMedicalStreamTranscription, billed for at least 15 s.
    if (transcriber.isClinicalGrade) {
      recordMetric('TranscriptionBilledSeconds', billedStreamSeconds(audioSeconds), { transcriber: transcriber.name });
    }
  }
  if (finals.length > 0) {
    recordMetric('TranscriptSegmentLatency', Math.max(0, ports.clock.now().getTime() - inbound.receivedAtMs));
  }
  log.debug('segment transcribed', { seq, finals: finals.length, transcriber: transcriber.name });
  return { type: 'segment-done', seq, finals: replies };
}
