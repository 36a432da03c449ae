import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbEncounterStore } from '../../../shared/adapters/aws/dynamodb-encounter-store.ts';
import { UnavailableConnectionPush } from '../../../shared/adapters/aws/unavailable-connection-push.ts';
import { LocalEnvelopeKeys } from '../../../shared/adapters/local/local-envelope-keys.ts';
import { RequestAudit } from '../../../shared/audit/request-audit.ts';
import type { AuditSink } from '../../../shared/ports/audit-sink.ts';
import type { ConnectionPush } from '../../../shared/ports/connection-push.ts';
import type { EncounterStore } from '../../../shared/ports/encounter-store.ts';
import type { PanelDirectory } from '../../../shared/ports/panel-directory.ts';
import {
  type AudioSegment,
  type Transcriber,
  TranscriptionFailed,
  type TranscriptResult,
} from '../../../shared/ports/transcriber.ts';
import { handleSocketMessage, type SocketMessagePorts } from '../../../shared/transcription/handle-socket-message.ts';
import type { ServerMessage } from '../../../shared/transcription/socket-protocol.ts';
import { TranscriptCipher } from '../../../shared/transcription/transcript-cipher.ts';
import { type LocalTables, startLocalTables } from '../../support/local-tables.ts';

const clock = { now: () => new Date('2026-11-26T04:00:00.000Z') };

/** Answers one partial and two finals per segment, naming the segment; or fails as told. */
function scriptedTranscriber(failWith?: TranscriptionFailed): Transcriber & { seen: AudioSegment[]; bytes: number[] } {
  const seen: AudioSegment[] = [];
  const bytes: number[] = [];
  return {
    name: 'scripted',
    isClinicalGrade: false,
    seen,
    bytes,
    async *transcribe(segment): AsyncIterable<TranscriptResult> {
      seen.push(segment);
      let total = 0;
      for await (const chunk of segment.audio) total += chunk.length;
      bytes.push(total);
      if (failWith) throw failWith;
      yield { resultId: 'r0', isPartial: true, text: 'the pati', startMs: 0, endMs: 300 };
      yield {
        resultId: 'r0',
        isPartial: false,
        text: `patient speaks in ${segment.segmentSeq}`,
        startMs: 0,
        endMs: 400,
        speaker: 'spk_1',
      };
      yield {
        resultId: 'r1',
        isPartial: false,
        text: `clinician answers in ${segment.segmentSeq}`,
        startMs: 500,
        endMs: 900,
        speaker: 'spk_0',
      };
    },
  };
}

describe('handleSocketMessage', () => {
  let tables: LocalTables;
  let store: DynamoDbEncounterStore;
  const keys = new LocalEnvelopeKeys(randomBytes(32));
  let counter = 0;

  const setUp = async (
    options: {
      transcriber?: Transcriber;
      auditFails?: boolean;
      encoding?: 'pcm-s16le' | 'text-frames';
      /** No push channel, as in AWS: progress is dropped, the reply still carries the finals. */
      pushUnavailable?: boolean;
      /** A push channel that rejects every push. */
      pushFails?: boolean;
      /** Wraps the store the handler uses (the encounter is set up in the real one). */
      wrapStore?: (store: DynamoDbEncounterStore) => EncounterStore;
      /** When the connection's token expires (epoch seconds); an hour after the test clock by default. */
      tokenExpiresAt?: number;
      /** Whether the patient is (still) on dr.lee's panel; true by default. */
      onPanel?: () => boolean;
    } = {},
  ) => {
    const encounterId = `enc-unit-${++counter}`;
    const { encryptedKey } = await TranscriptCipher.create(keys, encounterId);
    await store.create({
      encounterId,
      patientScope: 'patient-scope-unit',
      clinicianId: 'dr.lee',
      specialty: 'CARDIOLOGY',
      encoding: options.encoding ?? 'pcm-s16le',
      sampleRateHz: 16_000,
      status: 'open',
      openedAt: clock.now().toISOString(),
      encryptedDataKey: encryptedKey,
      claimed: [],
      done: [],
      claims: [],
    });
    const connectionId = `conn-${counter}`;
    await store.bindConnection(
      {
        connectionId,
        encounterId,
        userId: 'dr.lee',
        roles: ['physician'],
        connectedAt: clock.now().toISOString(),
        tokenExpiresAt: options.tokenExpiresAt ?? clock.now().getTime() / 1000 + 3600,
      },
      1_900_000_000,
    );
    /** Everything the client would see, in order: pushed progress, then each message's reply. */
    const pushed: ServerMessage[] = [];
    const replies: ServerMessage[] = [];
    const push: ConnectionPush = options.pushUnavailable
      ? new UnavailableConnectionPush(() => 'wss://test')
      : {
          name: 'recording',
          socketUrl: 'ws://test',
          push: async (_id, message) => {
            if (options.pushFails) throw new Error('socket write failed');
            pushed.push(message as ServerMessage);
            return 'delivered';
          },
          close: async () => undefined,
        };
    const sink: AuditSink = {
      name: 'recording',
      record: async () => {
        if (options.auditFails) throw new Error('audit down');
      },
    } as AuditSink;
    const transcriber = options.transcriber ?? scriptedTranscriber();
    const ports: SocketMessagePorts = {
      store: options.wrapStore ? options.wrapStore(store) : store,
      panels: { name: 'test', isOnPanel: async () => options.onPanel?.() ?? true } as unknown as PanelDirectory,
      keys,
      push,
      clock,
      transcriber,
      auditFor: (binding) =>
        new RequestAudit(sink, clock, {
          action: 'encounter.stream',
          caller: {
            userId: binding.userId,
            username: binding.userId,
            roles: ['physician'],
            clientId: undefined,
            sourceIp: undefined,
          },
          correlationId: 'corr-unit-1',
        }),
    };
    const send = async (body: unknown, timing: { replyWithinMs?: number } = {}) => {
      const reply = await handleSocketMessage(
        {
          connectionId,
          body: typeof body === 'string' ? body : JSON.stringify(body),
          receivedAtMs: clock.now().getTime(),
          ...timing,
        },
        ports,
      );
      replies.push(reply);
      pushed.push(reply);
      return reply;
    };
    return { encounterId, pushed, replies, send, transcriber };
  };

  const pcm = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');

  beforeAll(async () => {
    tables = await startLocalTables();
    store = new DynamoDbEncounterStore(tables.client, 'encounters');
  });
  afterAll(async () => tables?.close());

  it('streams one segment from memory, pushes partial and finals with encounter-relative times, and stores them sealed', async () => {
    const transcriber = scriptedTranscriber();
    const { encounterId, pushed, send } = await setUp({ transcriber });
    await send({ action: 'segment', seq: 0, offsetMs: 10_000, audio: pcm(6_400) });

    expect(pushed.map((m) => m.type)).toEqual(['accepted', 'partial', 'segment-done']);
    expect(pushed[1]).toMatchObject({ type: 'partial', seq: 0, text: 'the pati', startMs: 10_000, endMs: 10_300 });
    // The finals travel in the reply (the route response), in order, with the ids a note cites.
    expect(pushed[2]).toEqual({
      type: 'segment-done',
      seq: 0,
      finals: [
        {
          segmentId: `${encounterId}.0.0`,
          text: 'patient speaks in 0',
          startMs: 10_000,
          endMs: 10_400,
          speaker: 'spk_1',
        },
        {
          segmentId: `${encounterId}.0.1`,
          text: 'clinician answers in 0',
          startMs: 10_500,
          endMs: 10_900,
          speaker: 'spk_0',
        },
      ],
    });
    expect(transcriber.seen[0]).toMatchObject({
      encounterId,
      segmentSeq: 0,
      encoding: 'pcm-s16le',
      specialty: 'CARDIOLOGY',
    });
    expect(transcriber.bytes).toEqual([6_400]);

    const stored = await store.listSegments(encounterId);
    expect(stored.map((s) => s.segmentId)).toEqual([`${encounterId}.0.0`, `${encounterId}.0.1`]);
    expect(Buffer.from(stored[0]?.sealed ?? []).toString('latin1')).not.toContain('patient speaks');
    const cipher = await TranscriptCipher.forEncounter(
      keys,
      encounterId,
      (await store.get(encounterId))?.encryptedDataKey ?? new Uint8Array(),
    );
    expect(cipher.open(stored[0]?.segmentId ?? '', stored[0]?.sealed ?? new Uint8Array())).toEqual({
      speaker: 'spk_1',
      text: 'patient speaks in 0',
    });
    // A sealed final cannot be moved to another segment id.
    expect(() => cipher.open(stored[1]?.segmentId ?? '', stored[0]?.sealed ?? new Uint8Array())).toThrow();
    expect((await store.get(encounterId))?.done).toEqual([0]);
  });

  it('releases the claim and says which failure when the transcriber fails, so the segment can be sent again', async () => {
    const { encounterId, pushed, send } = await setUp({
      transcriber: scriptedTranscriber(new TranscriptionFailed('THROTTLED', 'slow down')),
    });
    await send({ action: 'segment', seq: 0, audio: pcm(3_200) });
    expect(pushed.at(-1)).toMatchObject({
      type: 'error',
      code: 'TRANSCRIPTION_FAILED',
      reason: 'THROTTLED',
      retryable: true,
      seq: 0,
    });
    const after = await store.get(encounterId);
    expect(after?.claimed).toEqual([]);
    expect(await store.listSegments(encounterId)).toEqual([]);
  });

  it('gives the transcriber a deadline from the time left to reply, and answers TIMEOUT with the claim released when it passes', async () => {
    let signalSeen: AbortSignal | undefined;
    // A transcriber that never answers and ignores its signal: the handler still replies in time.
    const hanging: Transcriber = {
      name: 'hanging',
      isClinicalGrade: false,
      async *transcribe(_segment, signal) {
        signalSeen = signal;
        await new Promise(() => undefined);
      },
    };
    const { encounterId, send } = await setUp({ transcriber: hanging });
    const reply = await send({ action: 'segment', seq: 0, audio: pcm(3_200) }, { replyWithinMs: 3_050 });
    expect(signalSeen?.aborted).toBe(true);
    expect(reply).toMatchObject({ type: 'error', code: 'TRANSCRIPTION_FAILED', reason: 'TIMEOUT', seq: 0 });
    expect((await store.get(encounterId))?.claimed).toEqual([]);
  });

  it('stores a lease on the claim that covers the invocation, so a crashed attempt can be retried after it lapses', async () => {
    const { encounterId, send } = await setUp({
      wrapStore: (real) =>
        Object.assign(Object.create(real), {
          putFinals: () => Promise.reject(new Error('the invocation died here')),
          releaseSegment: () => Promise.reject(new Error('and so did the release')),
        }),
    });
    const reply = await send({ action: 'segment', seq: 0, audio: pcm(3_200) }, { replyWithinMs: 20_000 });
    // The failed release does not replace the reply.
    expect(reply).toMatchObject({ type: 'error', code: 'INTERNAL_ERROR', retryable: true, seq: 0 });
    const [claim] = (await store.get(encounterId))?.claims ?? [];
    expect(claim?.expiresAtMs).toBeGreaterThan(clock.now().getTime() + 20_000);
    const now = clock.now().getTime();
    expect(await store.claimSegment(encounterId, { seq: 0, attempt: 'a2', expiresAtMs: now + 1 }, now)).toBe(
      'duplicate',
    );
    const lapsed = claim ? claim.expiresAtMs : now;
    expect(await store.claimSegment(encounterId, { seq: 0, attempt: 'a3', expiresAtMs: lapsed + 60_000 }, lapsed)).toBe(
      'claimed',
    );
  });

  it('refuses segments once the token the connection was opened with has expired', async () => {
    const transcriber = scriptedTranscriber();
    const { encounterId, send } = await setUp({ transcriber, tokenExpiresAt: clock.now().getTime() / 1000 });
    expect(await send({ action: 'segment', seq: 0, audio: pcm(3_200) })).toMatchObject({
      type: 'error',
      code: 'TOKEN_EXPIRED',
      seq: 0,
    });
    expect(transcriber.seen).toEqual([]);
    expect((await store.get(encounterId))?.claimed).toEqual([]);
  });

  it('checks the panel again on every segment: a patient taken off the panel stops the stream', async () => {
    let onPanel = true;
    const transcriber = scriptedTranscriber();
    const { send } = await setUp({ transcriber, onPanel: () => onPanel });
    expect(await send({ action: 'segment', seq: 0, audio: pcm(3_200) })).toMatchObject({ type: 'segment-done' });
    onPanel = false;
    expect(await send({ action: 'segment', seq: 1, audio: pcm(3_200) })).toMatchObject({
      type: 'error',
      code: 'NOT_PERMITTED',
      seq: 1,
    });
    expect(transcriber.seen).toHaveLength(1);
  });

  it('names the segment in every error reply after parsing, even when the connection is unknown', async () => {
    const { send } = await setUp({
      wrapStore: (real) =>
        Object.assign(Object.create(real), { findConnection: () => Promise.reject(new Error('table down')) }),
    });
    expect(await send({ action: 'segment', seq: 7, audio: pcm(3_200) })).toMatchObject({
      type: 'error',
      code: 'INTERNAL_ERROR',
      seq: 7,
    });
  });

  it('fails closed when the act cannot be audited: nothing is sent to the transcriber', async () => {
    const transcriber = scriptedTranscriber();
    const { encounterId, pushed, send } = await setUp({ transcriber, auditFails: true });
    await send({ action: 'segment', seq: 0, audio: pcm(3_200) });
    expect(pushed).toEqual([expect.objectContaining({ type: 'error', code: 'AUDIT_UNAVAILABLE', retryable: true })]);
    expect(transcriber.seen).toEqual([]);
    expect((await store.get(encounterId))?.claimed).toEqual([]);
  });

  it('refuses bad frames with stable codes and never echoes them', async () => {
    const { pushed, send } = await setUp();
    await send('not json at all: patient Jane Roe');
    await send({ action: 'segment', seq: -1, audio: pcm(2) });
    await send({ action: 'dance' });
    await send({ action: 'segment', seq: 1, audio: pcm(3) });
    await send({ action: 'segment', seq: 2, audio: pcm(92 * 1024) });
    await send({ action: 'segment', seq: 2, audio: pcm(100 * 1024) });
    expect(pushed.map((m) => (m.type === 'error' ? m.code : m.type))).toEqual([
      'INVALID_MESSAGE',
      'INVALID_MESSAGE',
      'INVALID_MESSAGE',
      'INVALID_AUDIO',
      'SEGMENT_TOO_LARGE',
      'MESSAGE_TOO_LARGE',
    ]);
    expect(JSON.stringify(pushed)).not.toContain('Jane');
  });

  it('turns text frames into finals through the same path', async () => {
    const { encounterId, pushed, send } = await setUp({ encoding: 'text-frames' });
    await send({ action: 'segment', seq: 0, text: 'spk_0: hello' });
    expect(pushed.map((m) => m.type)).toEqual(['accepted', 'partial', 'segment-done']);
    await send({ action: 'segment', seq: 1, audio: pcm(3_200) });
    expect(pushed.at(-1)).toMatchObject({ type: 'error', code: 'WRONG_SEGMENT_KIND', seq: 1 });
    expect((await store.get(encounterId))?.claimed).toEqual([0]);
  });

  it('without a push channel (AWS) answers with the finals alone and still stores them: no partials, no failure', async () => {
    const transcriber = scriptedTranscriber();
    const { encounterId, replies, send } = await setUp({ transcriber, pushUnavailable: true });
    const reply = await send({ action: 'segment', seq: 0, offsetMs: 2_000, audio: pcm(3_200) });
    expect(replies).toEqual([reply]);
    expect(reply).toMatchObject({
      type: 'segment-done',
      seq: 0,
      finals: [
        { segmentId: `${encounterId}.0.0`, text: 'patient speaks in 0', startMs: 2_000 },
        { segmentId: `${encounterId}.0.1`, text: 'clinician answers in 0', startMs: 2_500 },
      ],
    });
    expect(JSON.stringify(reply)).not.toContain('the pati');
    expect((await store.listSegments(encounterId)).map((s) => s.segmentId)).toEqual([
      `${encounterId}.0.0`,
      `${encounterId}.0.1`,
    ]);
    expect((await store.get(encounterId))?.done).toEqual([0]);
  });

  it('never fails a segment because a progress push failed', async () => {
    const { encounterId, send } = await setUp({ pushFails: true });
    const reply = await send({ action: 'segment', seq: 0, audio: pcm(3_200) });
    expect(reply).toMatchObject({ type: 'segment-done', seq: 0, finals: [{ text: 'patient speaks in 0' }, {}] });
    expect((await store.get(encounterId))?.done).toEqual([0]);
  });

  it('tells an unbound connection so, and reports status with the next sequence number', async () => {
    const { pushed, send } = await setUp();
    await send({ action: 'segment', seq: 3, audio: pcm(3_200) });
    await send({ action: 'status' });
    expect(pushed.at(-1)).toMatchObject({ type: 'status', status: 'open', nextSeq: 4, done: [3], inFlight: [] });
    const unbound: ServerMessage[] = [];
    const reply = await handleSocketMessage(
      { connectionId: 'conn-unknown', body: JSON.stringify({ action: 'status' }), receivedAtMs: 0 },
      {
        store,
        panels: { name: 'test', isOnPanel: async () => true } as unknown as PanelDirectory,
        keys,
        clock,
        transcriber: scriptedTranscriber(),
        push: {
          name: 'r',
          socketUrl: 'ws://t',
          push: async (_c, m) => {
            unbound.push(m as ServerMessage);
            return 'delivered';
          },
          close: async () => undefined,
        },
        auditFor: () => {
          throw new Error('not reached');
        },
      },
    );
    expect(reply).toMatchObject({ type: 'error', code: 'NOT_CONNECTED' });
    // A reply is never pushed as well: it goes back once, as the route response.
    expect(unbound).toEqual([]);
  });
});
