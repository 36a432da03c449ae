import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { segmentsOf, sendInFrames, speechPcmOf, streamWav } from '../../infra/cli/commands/encounter.ts';
import { signDevToken } from '../../infra/local/dev-identity.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/local-runtime.ts';
import { demoTranscribeResponder } from '../../infra/local/transcribe-streaming-demo-script.ts';
import {
  startTranscribeStreamingFake,
  type TranscribeStreamingFake,
} from '../../infra/local/transcribe-streaming-fake.ts';
import { topology } from '../../infra/topology/index.ts';
import { UnavailableConnectionPush } from '../../shared/adapters/aws/unavailable-connection-push.ts';
import { type AuditEntry, AuditRecorded } from '../../shared/audit/audit-entry.ts';
import { patternFor } from '../../shared/events/event-definition.ts';
import type { Role } from '../../shared/identity/roles.ts';
import { LOCAL_REGION } from '../../shared/runtime/local-ports.ts';
import { buildLocalTranscriber } from '../../shared/runtime/local-transcriber.ts';
import { type Ports, usePorts } from '../../shared/runtime/ports.ts';
import { EncounterEnded } from '../../shared/transcription/encounter-requests.ts';
import {
  BEARER_PROTOCOL_PREFIX,
  type ServerMessage,
  SOCKET_PROTOCOL,
} from '../../shared/transcription/socket-protocol.ts';
import { containsCanary, synthesizeEncounterWav } from '../shared/transcription/encounter-audio.ts';

// Before the logger exists (vi.hoisted runs ahead of the imports): every handler logs at DEBUG here, so the scan
// below would see audio if any code path logged it. Powertools restores this level after each invocation.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
});

const SCOPE = 'patient-scope-enc-001';
const OTHER_SCOPE = 'patient-scope-enc-999';

interface Client {
  readonly socket: WebSocket;
  readonly messages: ServerMessage[];
  waitFor(predicate: (message: ServerMessage) => boolean): Promise<ServerMessage>;
  closed: Promise<number>;
}

describe('encounters through the local runtime', () => {
  let runtime: LocalRuntime;
  let fake: TranscribeStreamingFake;
  let dataDir: string;
  let releasePorts: () => void;
  let portsInUse: Ports;
  const logs: string[] = [];
  const audit: AuditEntry[] = [];
  const ended: unknown[] = [];
  const published: string[] = [];
  const restore: (() => void)[] = [];
  const tokens = new Map<string, string>();

  const token = async (userId: string, role: Role) => {
    const key = `${userId}/${role}`;
    if (!tokens.has(key)) tokens.set(key, await signDevToken(runtime.signingKey, { userId, roles: [role] }));
    return tokens.get(key) ?? '';
  };

  const call = async (userId: string, role: Role, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${runtime.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await token(userId, role)}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    await runtime.bus.idle();
    // biome-ignore lint/suspicious/noExplicitAny: assertions read response bodies by shape.
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  const open = async (userId: string, role: Role, body: Record<string, unknown>) => {
    const response = await call(userId, role, 'POST', '/v1/encounters', body);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as { encounterId: string; socketUrl: string };
  };

  /** Opens a socket; resolves with the HTTP status when the handshake is refused. */
  const connect = (url: string, bearer: string | undefined): Promise<Client | number> =>
    new Promise((resolvePromise, reject) => {
      const protocols = [SOCKET_PROTOCOL, ...(bearer ? [`${BEARER_PROTOCOL_PREFIX}${bearer}`] : [])];
      const socket = new WebSocket(url, protocols);
      const messages: ServerMessage[] = [];
      const waiters: { predicate: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
      socket.on('message', (raw) => {
        const message = JSON.parse(raw.toString()) as ServerMessage;
        messages.push(message);
        for (const waiter of [...waiters]) {
          if (waiter.predicate(message)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(message);
          }
        }
      });
      const closed = new Promise<number>((resolveClose) => socket.on('close', (code) => resolveClose(code)));
      socket.once('open', () =>
        resolvePromise({
          socket,
          messages,
          closed,
          waitFor: (predicate) => {
            const seen = messages.find(predicate);
            if (seen) return Promise.resolve(seen);
            return new Promise((resolveWait) => waiters.push({ predicate, resolve: resolveWait }));
          },
        }),
      );
      socket.once('unexpected-response', (_request, response) => {
        resolvePromise(response.statusCode ?? 0);
        socket.terminate();
      });
      socket.once('error', (error) => {
        if (!String(error.message).includes('Unexpected server response')) reject(error);
      });
    });

  const connected = async (url: string, bearer: string): Promise<Client> => {
    const client = await connect(url, bearer);
    if (typeof client === 'number') throw new Error(`refused with ${client}`);
    return client;
  };

  const segmentMessage = (seq: number, pcm: Uint8Array, offsetMs = 0) =>
    JSON.stringify({ action: 'segment', seq, offsetMs, audio: Buffer.from(pcm).toString('base64') });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cag-encounters-'));
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        logs.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('latin1'));
        return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write;
      restore.push(() => {
        stream.write = write as typeof stream.write;
      });
    }
    runtime = await startLocalRuntime({
      topology,
      rootDir: resolve(import.meta.dirname, '../..'),
      dataDir,
      port: 0,
      seedKnowledge: false,
    });
    fake = await startTranscribeStreamingFake({ script: demoTranscribeResponder });
    const { transcriber } = buildLocalTranscriber({
      choice: 'transcribe-fake',
      transcribeEndpoint: fake.endpoint,
      region: LOCAL_REGION,
    });
    portsInUse = { ...runtime.ports, transcriber };
    releasePorts = usePorts(portsInUse);
    runtime.bus.subscribe({
      ruleName: 'test-audit-capture',
      pattern: patternFor(AuditRecorded),
      deliver: async (event) => {
        audit.push(AuditRecorded.detail.parse(event.detail));
      },
    });
    runtime.bus.subscribe({
      ruleName: 'test-every-event',
      pattern: { source: [{ prefix: 'clinical-ai-gateway' }] },
      deliver: async (event) => {
        published.push(JSON.stringify(event));
      },
    });
    runtime.bus.subscribe({
      ruleName: 'test-encounter-ended',
      pattern: patternFor(EncounterEnded),
      deliver: async (event) => {
        ended.push(event.detail);
      },
    });
    expect((await call('admin.a', 'admin', 'PUT', `/v1/panels/local-dr.lee/patients/${SCOPE}`)).status).toBe(200);
  });

  afterAll(async () => {
    releasePorts?.();
    await runtime?.stop();
    await fake?.close();
    for (const undo of restore) undo();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('streams a generated WAV over the socket: ordered finals, stored encrypted, the encounter ends, and no audio byte is kept in a table, file, log or event', async () => {
    // Prepare: three utterances of distinct lengths, so each segment's placeholder text names its own duration.
    const wav = synthesizeEncounterWav([900, 1700, 1300]);
    const segments = segmentsOf(speechPcmOf(wav));
    expect(segments).toHaveLength(3);
    const printed: string[] = [];

    // Act: the CLI's client streams it (no pacing), then ends the encounter.
    const summary = await streamWav(wav, {
      apiUrl: runtime.url,
      token: await token('dr.lee', 'physician'),
      patientScope: SCOPE,
      speed: 0,
      print: (line) => printed.push(line),
    });
    await runtime.sockets.idle();
    await runtime.bus.idle();

    // Assess: one final per segment, in segment order, each naming its own segment's length.
    expect(summary.failedSegments).toEqual([]);
    expect(summary.ended).toBe(true);
    const expected = segments.map((segment) => `${(segment.durationMs / 1000).toFixed(1)} seconds of audio`);
    expect(summary.finals.map((final) => final.seq)).toEqual([0, 1, 2]);
    summary.finals.forEach((final, seq) => {
      expect(final.text).toContain(expected[seq]);
    });
    expect(printed.some((line) => line.includes('PLACEHOLDER'))).toBe(true);

    const read = await call('dr.lee', 'physician', 'GET', `/v1/encounters/${summary.encounterId}`);
    expect(read.status).toBe(200);
    expect(read.body.status).toBe('ended');
    const stored = read.body.segments as {
      seq: number;
      text: string;
      evidenceId: string;
      segmentId: string;
      startMs: number;
    }[];
    expect(stored.map((segment) => segment.seq)).toEqual([0, 1, 2]);
    stored.forEach((segment, seq) => {
      expect(segment.text).toContain(expected[seq]);
      expect(segment.evidenceId).toBe(`segment/${segment.segmentId}`);
      expect(segment.startMs).toBeGreaterThanOrEqual(segments[seq]?.offsetMs ?? 0);
    });

    expect(ended).toContainEqual(
      expect.objectContaining({ encounterId: summary.encounterId, patientScope: SCOPE, finalSegmentCount: 3 }),
    );
    expect(JSON.stringify(ended)).not.toContain('PLACEHOLDER');
    expect(
      audit.filter((entry) => entry.action === 'encounter.stream' && entry.outcome === 'allowed').length,
    ).toBeGreaterThanOrEqual(5);

    // No audio anywhere: every table, every file under the data folder, every log line.
    const { client, nameOf } = runtime.ports.tables;
    let items = 0;
    let transcriptPlaintext = false;
    for (const table of Object.keys(topology.tables)) {
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName: nameOf(table), ExclusiveStartKey: startKey }));
        for (const item of page.Items ?? []) {
          items++;
          for (const value of Object.values(item)) {
            const bytes = value.B ? Buffer.from(value.B) : Buffer.from(JSON.stringify(value), 'utf8');
            expect(containsCanary(bytes), `audio found in table ${table}`).toBe(false);
            if (bytes.includes(Buffer.from('PLACEHOLDER'))) transcriptPlaintext = true;
          }
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    expect(items).toBeGreaterThan(0);
    expect(transcriptPlaintext, 'transcript text stored unencrypted').toBe(false);
    const files = await listFiles(dataDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(containsCanary(await readFile(file)), `audio found in ${file}`).toBe(false);
    expect(published.length).toBeGreaterThan(0);
    expect(containsCanary(published.join('\n')), 'audio found in an event').toBe(false);
    expect(containsCanary(JSON.stringify(runtime.bus.deadLetters())), 'audio found in a dead letter').toBe(false);
    // The handlers' own log lines are in what was scanned.
    expect(logs.some((line) => line.includes('segment transcribed'))).toBe(true);
    expect(containsCanary(logs.join('\n'))).toBe(false);
    // The scan is not blind: the canary is in what was streamed, in each of the forms it looks for.
    expect(containsCanary(wav)).toBe(true);
    expect(containsCanary(segmentMessage(1, segments[1]?.pcm ?? new Uint8Array()))).toBe(true);
  });

  it('answers each segment with its finals as the route response; partials come only where a push channel exists', async () => {
    const { encounterId, socketUrl } = await open('dr.lee', 'physician', { patientScope: SCOPE });
    const bearer = await token('dr.lee', 'physician');
    const [first, second] = segmentsOf(speechPcmOf(synthesizeEncounterWav([900, 1200])));

    // Locally the push channel exists: progress (accepted, partials) first, then the reply with the finals.
    const local = await connected(socketUrl, bearer);
    sendInFrames(local.socket, segmentMessage(0, first?.pcm ?? new Uint8Array(), first?.offsetMs));
    const localDone = await local.waitFor((m) => m.type === 'segment-done' && m.seq === 0);
    const localTypes = local.messages.map((m) => m.type);
    expect(localTypes[0]).toBe('accepted');
    expect(localTypes).toContain('partial');
    expect(localTypes.at(-1)).toBe('segment-done');
    expect(localDone).toMatchObject({ finals: [expect.objectContaining({ segmentId: `${encounterId}.0.0` })] });
    local.socket.close();
    await runtime.sockets.idle();

    // As in AWS: the handlers cannot push. The reply alone arrives, still with the segment's finals.
    const restorePorts = usePorts({
      ...portsInUse,
      connections: new UnavailableConnectionPush(() => runtime.ports.connections.socketUrl),
    });
    try {
      const remote = await connected(socketUrl, bearer);
      sendInFrames(remote.socket, segmentMessage(1, second?.pcm ?? new Uint8Array(), second?.offsetMs));
      const remoteDone = await remote.waitFor((m) => m.type === 'segment-done' && m.seq === 1);
      await runtime.sockets.idle();
      expect(remote.messages).toEqual([remoteDone]);
      expect(remoteDone).toMatchObject({
        seq: 1,
        finals: [
          expect.objectContaining({ segmentId: `${encounterId}.1.0`, text: expect.stringContaining('seconds') }),
        ],
      });
      remote.socket.send(JSON.stringify({ action: 'status' }));
      expect(await remote.waitFor((m) => m.type === 'status')).toMatchObject({ nextSeq: 2, done: [0, 1] });
      remote.socket.close();
    } finally {
      restorePorts();
      usePorts(portsInUse);
    }
    const read = await call('dr.lee', 'physician', 'GET', `/v1/encounters/${encounterId}`);
    expect((read.body.segments as { seq: number }[]).map((s) => s.seq)).toEqual([0, 1]);
    await runtime.bus.idle();
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'encounter.stream',
        outcome: 'allowed',
        resource: { patientScope: SCOPE, encounterId },
      }),
    );
  });

  it('refuses unauthenticated, forged, wrong-clinician and wrong-role connections', async () => {
    const { socketUrl } = await open('dr.lee', 'physician', { patientScope: SCOPE });
    expect(await connect(socketUrl, undefined)).toBe(401);
    expect(await connect(socketUrl, 'not-a-token')).toBe(401);
    // Another physician, whose panel does not hold this patient.
    expect(await connect(socketUrl, await token('dr.other', 'physician'))).toBe(403);
    expect(await connect(socketUrl, await token('front.desk', 'front-desk'))).toBe(403);
    // No such encounter.
    const unknown = socketUrl.replace(/encounterId=[^&]+/, 'encounterId=00000000-0000-0000-0000-000000000000');
    expect(await connect(unknown, await token('dr.lee', 'physician'))).toBe(404);
    // The opening physician, after the patient left their panel.
    const moved = 'patient-scope-enc-002';
    expect((await call('admin.a', 'admin', 'PUT', `/v1/panels/local-dr.lee/patients/${moved}`)).status).toBe(200);
    const later = await open('dr.lee', 'physician', { patientScope: moved });
    expect((await call('admin.a', 'admin', 'DELETE', `/v1/panels/local-dr.lee/patients/${moved}`)).status).toBe(200);
    expect(await connect(later.socketUrl, await token('dr.lee', 'physician'))).toBe(403);
    await runtime.bus.idle();
    expect(audit).toContainEqual(
      expect.objectContaining({ action: 'encounter.stream', outcome: 'denied', reason: 'NOT_ENCOUNTER_OWNER' }),
    );
    expect(audit).toContainEqual(
      expect.objectContaining({ action: 'encounter.stream', outcome: 'denied', reason: 'NOT_ON_PANEL' }),
    );
  });

  it('refuses to end while a segment is in flight (409 SEGMENTS_IN_FLIGHT with the list), and ends once it is done', async () => {
    const { encounterId } = await open('dr.lee', 'physician', { patientScope: SCOPE, encoding: 'text-frames' });
    const store = portsInUse.encounters;
    const now = Date.now();
    const live = { seq: 0, attempt: 'attempt-live', expiresAtMs: now + 60_000 };
    const lapsed = { seq: 1, attempt: 'attempt-lapsed', expiresAtMs: now - 1 };
    expect(await store.claimSegment(encounterId, live, now)).toBe('claimed');
    expect(await store.claimSegment(encounterId, lapsed, now - 10)).toBe('claimed');
    const refused = await call('dr.lee', 'physician', 'POST', `/v1/encounters/${encounterId}/end`);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain('SEGMENTS_IN_FLIGHT');
    expect(JSON.stringify(refused.body)).toMatch(/"inFlight":\[0\]/);
    // The lapsed claim is not in flight in the read model either.
    expect((await call('dr.lee', 'physician', 'GET', `/v1/encounters/${encounterId}`)).body.inFlight).toEqual([0]);
    await store.putFinals(encounterId, live, []);
    const ended = await call('dr.lee', 'physician', 'POST', `/v1/encounters/${encounterId}/end`);
    expect(ended.status).toBe(200);
  });

  it('refuses to open an encounter for a patient outside a physician panel, and hides transcripts from other roles', async () => {
    const refused = await call('dr.lee', 'physician', 'POST', '/v1/encounters', { patientScope: OTHER_SCOPE });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('NOT_ON_PANEL');
    const { encounterId } = await open('dr.lee', 'physician', { patientScope: SCOPE });
    expect((await call('billing.b', 'billing', 'GET', `/v1/encounters/${encounterId}`)).status).toBe(403);
    expect((await call('dr.other', 'physician', 'GET', `/v1/encounters/${encounterId}`)).status).toBe(403);
    expect((await call('nurse.n', 'nurse', 'GET', `/v1/encounters/${encounterId}`)).status).toBe(200);
    expect((await call('nurse.n', 'nurse', 'POST', `/v1/encounters/${encounterId}/end`)).status).toBe(403);
  });

  it('answers oversized, malformed and mismatched frames with a clear error and keeps the encounter consistent', async () => {
    const { encounterId, socketUrl } = await open('dr.lee', 'physician', { patientScope: SCOPE });
    const bearer = await token('dr.lee', 'physician');
    const wav = synthesizeEncounterWav([800]);
    const [segment] = segmentsOf(speechPcmOf(wav));
    let client = await connected(socketUrl, bearer);
    sendInFrames(client.socket, segmentMessage(0, segment?.pcm ?? new Uint8Array()));
    await client.waitFor((m) => m.type === 'segment-done' && m.seq === 0);

    client.socket.send('{not json');
    expect(await client.waitFor((m) => m.type === 'error')).toMatchObject({ code: 'INVALID_MESSAGE' });
    client.socket.send(JSON.stringify({ action: 'segment', seq: 1, text: 'spk_0: hello' }));
    expect(await client.waitFor((m) => m.type === 'error' && m.seq === 1)).toMatchObject({
      code: 'WRONG_SEGMENT_KIND',
    });
    client.socket.send(JSON.stringify({ action: 'segment', seq: 2, audio: Buffer.from([1, 2, 3]).toString('base64') }));
    expect(await client.waitFor((m) => m.type === 'error' && m.seq === 2)).toMatchObject({ code: 'INVALID_AUDIO' });
    sendInFrames(client.socket, segmentMessage(0, segment?.pcm ?? new Uint8Array()));
    expect(await client.waitFor((m) => m.type === 'error' && m.seq === 0)).toMatchObject({
      code: 'SEGMENT_ALREADY_RECEIVED',
    });
    const errors = client.messages.filter((m) => m.type === 'error');
    expect(JSON.stringify(errors)).not.toContain('hello');

    // Over the 128 KB message quota: an error frame, then the socket closes with 1009 as API Gateway does.
    sendInFrames(client.socket, segmentMessage(3, new Uint8Array(100 * 1024)));
    expect(await client.waitFor((m) => m.type === 'error' && m.code === 'MESSAGE_TOO_LARGE')).toBeDefined();
    expect(await client.closed).toBe(1009);

    await runtime.sockets.idle();
    const read = await call('dr.lee', 'physician', 'GET', `/v1/encounters/${encounterId}`);
    expect(read.body.status).toBe('open');
    expect(read.body.inFlight).toEqual([]);
    expect((read.body.segments as { seq: number }[]).map((s) => s.seq)).toEqual([0]);
    client = await connected(socketUrl, bearer);
    client.socket.send(JSON.stringify({ action: 'status' }));
    expect(await client.waitFor((m) => m.type === 'status')).toMatchObject({ nextSeq: 1, done: [0], inFlight: [] });
    client.socket.close();
  });

  it('resumes with the next segment after a dropped connection, keeping segment order', async () => {
    const { encounterId, socketUrl } = await open('dr.lee', 'physician', {
      patientScope: SCOPE,
      encoding: 'text-frames',
    });
    const bearer = await token('dr.lee', 'physician');
    const first = await connected(socketUrl, bearer);
    first.socket.send(
      JSON.stringify({
        action: 'segment',
        seq: 0,
        offsetMs: 0,
        text: 'clinician: What brings you in?\npatient: A cough.',
      }),
    );
    await first.waitFor((m) => m.type === 'segment-done' && m.seq === 0);
    first.socket.terminate();
    await runtime.sockets.idle();

    const second = await connected(socketUrl, bearer);
    second.socket.send(JSON.stringify({ action: 'status' }));
    const status = await second.waitFor((m) => m.type === 'status');
    expect(status).toMatchObject({ nextSeq: 1, done: [0] });
    second.socket.send(JSON.stringify({ action: 'segment', seq: 1, offsetMs: 5000, text: 'clinician: For how long?' }));
    // The segment's finals come back as the reply to its message (the route response).
    const doneOfSecond = await second.waitFor((m) => m.type === 'segment-done' && m.seq === 1);
    expect(doneOfSecond).toMatchObject({
      finals: [
        expect.objectContaining({ speaker: 'clinician', text: 'For how long?', segmentId: `${encounterId}.1.0` }),
      ],
    });
    second.socket.close();

    const ending = await call('dr.lee', 'physician', 'POST', `/v1/encounters/${encounterId}/end`);
    expect(ending.status).toBe(200);
    expect(ending.body).toMatchObject({ status: 'ended', finalSegmentCount: 3 });
    const read = await call('nurse.n', 'nurse', 'GET', `/v1/encounters/${encounterId}`);
    expect((read.body.segments as { speaker: string; text: string }[]).map((s) => `${s.speaker}: ${s.text}`)).toEqual([
      'clinician: What brings you in?',
      'patient: A cough.',
      'clinician: For how long?',
    ]);
    // Ended: no new socket, no new segment; ending again only repeats the event.
    expect(await connect(socketUrl, bearer)).toBe(409);
    expect((await call('dr.lee', 'physician', 'POST', `/v1/encounters/${encounterId}/end`)).status).toBe(200);
  });
});

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir)) {
    const path = join(dir, entry);
    if ((await stat(path)).isDirectory()) out.push(...(await listFiles(path)));
    else out.push(path);
  }
  return out;
}
