/**
 * `cag encounter stream FILE.wav`: opens an encounter (or joins one), streams a 16 kHz mono WAV over the encounter
 * socket in real time (or `--speed` times faster), segmented at pauses one segment per message, prints the partial
 * and final transcript as it arrives, resumes after a dropped connection, and ends the encounter.
 */
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import WebSocket from 'ws';
import { isRole, type Role } from '../../../shared/identity/roles.ts';
import { parseWav } from '../../../shared/transcription/audio/parse-wav.ts';
import { resamplePcm16 } from '../../../shared/transcription/audio/resample-pcm16.ts';
import {
  MAX_SEGMENT_AUDIO_BYTES,
  MAX_SOCKET_FRAME_BYTES,
  PCM_SAMPLE_RATE_HZ,
} from '../../../shared/transcription/encounter-requests.ts';
import { type PcmSegment, segmentAtPauses } from '../../../shared/transcription/segment-at-pauses.ts';
import {
  BEARER_PROTOCOL_PREFIX,
  type ServerMessage,
  SOCKET_PROTOCOL,
  type TranscriptFinal,
} from '../../../shared/transcription/socket-protocol.ts';
import { loadDevSigningKey, signDevToken } from '../../local/dev-identity.ts';

const DEFAULT_DATA_DIR = resolve(import.meta.dirname, '../../..', '.data');
const MAX_RECONNECTS = 3;
const SEGMENT_RETRIES = 2;
/**
 * How long to wait for a segment's reply before asking for `status`: past API Gateway's 29 s route-response limit, a
 * reply that has not come will not come (a dropped reply or a lost invocation).
 */
const SEGMENT_DEADLINE_MS = 35_000;

export interface StreamWavOptions {
  /** The REST API, e.g. `http://127.0.0.1:3000`. */
  readonly apiUrl: string;
  /** The encounter socket; by default the one `POST /v1/encounters` returns. */
  readonly socketUrl?: string;
  readonly token: string;
  readonly encounterId?: string;
  readonly patientScope?: string;
  readonly specialty?: string;
  /** 1 = real time; 0 = as fast as the server answers. */
  readonly speed: number;
  /** End the encounter when every segment is transcribed (default true). */
  readonly end?: boolean;
  /** How long to wait for a segment's reply before asking the server for `status` (default 35 s). */
  readonly segmentDeadlineMs?: number;
  readonly print: (line: string) => void;
}

/** A final result as the client collects it: the segment's reply carries the finals, each tagged with its segment. */
export type StreamedFinal = TranscriptFinal & { readonly seq: number };

export interface StreamSummary {
  readonly encounterId: string;
  readonly segmentsSent: number;
  readonly finals: readonly StreamedFinal[];
  readonly failedSegments: readonly number[];
  readonly ended: boolean;
  readonly reconnects: number;
}

/** The PCM of a WAV as 16 kHz mono 16-bit, resampled when needed (stereo or 8-bit files are refused). */
export function speechPcmOf(wavBytes: Uint8Array): Uint8Array {
  const wav = parseWav(wavBytes);
  if (wav.channels !== 1 || wav.bitsPerSample !== 16) {
    throw new Error('The WAV file must be 16-bit mono PCM');
  }
  return wav.sampleRateHz === PCM_SAMPLE_RATE_HZ
    ? wav.pcm
    : resamplePcm16(wav.pcm, wav.sampleRateHz, PCM_SAMPLE_RATE_HZ);
}

/** Segments at pauses, each within the audio one message may carry (whole 20 ms frames). */
export function segmentsOf(pcm: Uint8Array): PcmSegment[] {
  return segmentAtPauses(pcm, { sampleRateHz: PCM_SAMPLE_RATE_HZ, maxSegmentBytes: MAX_SEGMENT_AUDIO_BYTES });
}

async function api(
  options: StreamWavOptions,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(new URL(path, options.apiUrl), {
    method,
    headers: {
      authorization: `Bearer ${options.token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const code = (json.error as { code?: string } | undefined)?.code ?? 'UNKNOWN';
    throw new Error(`${method} ${path} failed: ${response.status} ${code}`);
  }
  return json;
}

/** Opens the socket offering the bearer token as a subprotocol (never in the URL, which lands in access logs). */
export function openEncounterSocket(url: string, token: string): Promise<WebSocket> {
  return new Promise((resolvePromise, reject) => {
    const socket = new WebSocket(url, [SOCKET_PROTOCOL, `${BEARER_PROTOCOL_PREFIX}${token}`]);
    socket.once('open', () => resolvePromise(socket));
    socket.once('unexpected-response', (_request, response) => {
      reject(new Error(`The socket was refused: ${response.statusCode ?? 'no status'}`));
      socket.terminate();
    });
    socket.once('error', reject);
  });
}

/** Sends one message in frames of at most 32 KB, as API Gateway requires for messages above that size. */
export function sendInFrames(socket: WebSocket, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < bytes.length; offset += MAX_SOCKET_FRAME_BYTES) {
    const end = Math.min(bytes.length, offset + MAX_SOCKET_FRAME_BYTES);
    socket.send(bytes.subarray(offset, end), { binary: false, fin: end === bytes.length });
  }
}

function localSocketUrl(apiUrl: string): string | undefined {
  const api = new URL(apiUrl);
  if (!['127.0.0.1', 'localhost'].includes(api.hostname)) return undefined;
  return `ws://${api.hostname}:${Number(api.port || 80) + 1}`;
}

const clock = (ms: number) => {
  const seconds = ms / 1000;
  return `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${(seconds % 60).toFixed(1).padStart(4, '0')}`;
};

export async function streamWav(wavBytes: Uint8Array, options: StreamWavOptions): Promise<StreamSummary> {
  const segments = segmentsOf(speechPcmOf(wavBytes));
  let encounterId = options.encounterId;
  let socketUrl = options.socketUrl;
  if (!encounterId) {
    if (!options.patientScope) throw new Error('Give --encounter or --patient-scope');
    const opened = await api(options, 'POST', '/v1/encounters', {
      patientScope: options.patientScope,
      encoding: 'pcm-s16le',
      ...(options.specialty ? { specialty: options.specialty } : {}),
    });
    encounterId = String(opened.encounterId);
    socketUrl ??= String(opened.socketUrl);
    options.print(`encounter ${encounterId} opened`);
  }
  // The local runtime serves the socket on the port after the API's; in AWS the socket has a URL of its own.
  socketUrl ??= localSocketUrl(options.apiUrl);
  if (!socketUrl) throw new Error('Give --socket-url to join an existing encounter');
  const url = new URL(socketUrl);
  url.searchParams.set('encounterId', encounterId);

  const finals: StreamedFinal[] = [];
  const done = new Set<number>();
  const failed = new Set<number>();
  const attempts = new Map<number, number>();
  const bySeq = new Map(segments.map((segment, seq) => [seq, segment]));
  let reconnects = 0;
  let socket: WebSocket | undefined;
  let settle: (() => void) | undefined;
  const finished = () => done.size + failed.size >= segments.length;
  const deadlineMs = options.segmentDeadlineMs ?? SEGMENT_DEADLINE_MS;
  /** Segments sent and not answered yet, each with the timer that asks for `status` when its reply is overdue. */
  const awaiting = new Map<number, NodeJS.Timeout>();
  /** Segments whose reply is overdue: the next `status` reply decides whether to wait, resend or count them done. */
  const overdue = new Set<number>();
  const answered = (seq: number) => {
    clearTimeout(awaiting.get(seq));
    awaiting.delete(seq);
    overdue.delete(seq);
  };
  const arm = (seq: number) => {
    clearTimeout(awaiting.get(seq));
    const timer = setTimeout(() => {
      overdue.add(seq);
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ action: 'status' }));
    }, deadlineMs);
    timer.unref();
    awaiting.set(seq, timer);
  };
  const retryOrFail = (seq: number) => {
    if ((attempts.get(seq) ?? 0) <= SEGMENT_RETRIES) send(seq);
    else {
      answered(seq);
      failed.add(seq);
    }
  };

  const send = (seq: number) => {
    const segment = bySeq.get(seq);
    if (!segment || !socket || socket.readyState !== WebSocket.OPEN) return;
    attempts.set(seq, (attempts.get(seq) ?? 0) + 1);
    arm(seq);
    sendInFrames(
      socket,
      JSON.stringify({
        action: 'segment',
        seq,
        offsetMs: segment.offsetMs,
        audio: Buffer.from(segment.pcm).toString('base64'),
      }),
    );
  };

  const onMessage = (raw: WebSocket.RawData) => {
    let message: ServerMessage;
    try {
      message = JSON.parse(raw.toString()) as ServerMessage;
    } catch {
      return;
    }
    switch (message.type) {
      case 'partial':
        options.print(`  ... ${message.speaker ? `${message.speaker}: ` : ''}${message.text}`);
        break;
      case 'segment-done':
        answered(message.seq);
        // The reply to a segment carries its finals; a segment is only ever done once (its number is claimed once).
        if (done.has(message.seq)) break;
        done.add(message.seq);
        for (const final of message.finals) {
          finals.push({ ...final, seq: message.seq });
          options.print(
            `[${clock(final.startMs)}-${clock(final.endMs)}] ${final.speaker ? `${final.speaker}: ` : ''}${final.text}`,
          );
        }
        break;
      case 'error':
        options.print(
          `! ${message.code}${message.seq !== undefined ? ` (segment ${message.seq})` : ''}: ${message.message}`,
        );
        if (message.seq !== undefined && !done.has(message.seq)) {
          // Another attempt holds the number (e.g. after a resume): its outcome shows in a later `status`.
          if (message.code === 'SEGMENT_ALREADY_RECEIVED') break;
          answered(message.seq);
          if (message.retryable && (attempts.get(message.seq) ?? 0) <= SEGMENT_RETRIES) send(message.seq);
          else failed.add(message.seq);
        }
        break;
      case 'status': {
        for (const seq of message.done) {
          // Done on the server, but its reply never came: the finals are stored (`cag` GET shows them).
          if (overdue.has(seq)) options.print(`! segment ${seq}: transcribed, but its reply was lost`);
          answered(seq);
          done.add(seq);
        }
        const inFlight = new Set(message.inFlight);
        for (const seq of [...overdue]) {
          if (done.has(seq)) continue;
          overdue.delete(seq);
          // Still being transcribed: wait another deadline. Neither done nor in flight: the attempt was lost.
          if (inFlight.has(seq)) arm(seq);
          else retryOrFail(seq);
        }
        break;
      }
      default:
        break;
    }
    if (finished()) settle?.();
  };

  /** Connects, learns what the server already has, and resends what it lacks (a resume after a drop). */
  const connect = async (resume: boolean): Promise<void> => {
    socket = await openEncounterSocket(url.toString(), options.token);
    socket.on('message', onMessage);
    const statusReply = new Promise<Extract<ServerMessage, { type: 'status' }>>((resolveStatus) => {
      const listener = (raw: WebSocket.RawData) => {
        const parsed = JSON.parse(raw.toString()) as ServerMessage;
        if (parsed.type === 'status') {
          socket?.off('message', listener);
          resolveStatus(parsed);
        }
      };
      socket?.on('message', listener);
    });
    socket.send(JSON.stringify({ action: 'status' }));
    const status = await statusReply;
    if (resume) {
      const inFlight = new Set(status.inFlight);
      for (const seq of bySeq.keys()) {
        if (!done.has(seq) && !inFlight.has(seq) && (attempts.get(seq) ?? 0) > 0) send(seq);
      }
    }
    socket.on('close', () => {
      if (finished()) return;
      if (reconnects >= MAX_RECONNECTS) {
        for (const seq of bySeq.keys()) if (!done.has(seq)) failed.add(seq);
        settle?.();
        return;
      }
      reconnects++;
      options.print('! connection dropped; resuming');
      connect(true).catch(() => {
        for (const seq of bySeq.keys()) if (!done.has(seq)) failed.add(seq);
        settle?.();
      });
    });
  };

  const allDone = new Promise<void>((resolveDone) => {
    settle = resolveDone;
  });
  await connect(false);
  const started = Date.now();
  let sent = 0;
  for (const [seq, segment] of bySeq) {
    if (done.has(seq)) continue;
    if (options.speed > 0) {
      // A segment exists only once its last sample has been spoken.
      const due = started + (segment.offsetMs + segment.durationMs) / options.speed;
      await new Promise((wake) => setTimeout(wake, Math.max(0, due - Date.now())));
    }
    send(seq);
    sent++;
  }
  if (!finished()) await allDone;
  for (const timer of awaiting.values()) clearTimeout(timer);
  socket?.removeAllListeners('close');
  socket?.close(1000);

  let ended = false;
  if (options.end ?? true) {
    const result = await api(options, 'POST', `/v1/encounters/${encodeURIComponent(encounterId)}/end`);
    ended = result.status === 'ended';
    options.print(`encounter ${encounterId} ended: ${String(result.finalSegmentCount)} final segments stored`);
  }
  finals.sort((a, b) => a.seq - b.seq || a.startMs - b.startMs);
  return {
    encounterId,
    segmentsSent: sent,
    finals,
    failedSegments: [...failed].sort((a, b) => a - b),
    ended,
    reconnects,
  };
}

function positiveSpeed(value: string): number {
  const speed = Number(value);
  if (!Number.isFinite(speed) || speed < 0 || speed > 100)
    throw new InvalidArgumentError('0 (as fast as possible) to 100');
  return speed;
}

export function encounterCommand(): Command {
  const encounter = new Command('encounter').description('encounter transcription over the encounter socket');
  encounter
    .command('stream')
    .description('stream a WAV file (16-bit mono) as an encounter and print the transcript as it arrives')
    .argument('<file>', 'a .wav file: 16-bit mono PCM, resampled to 16 kHz if needed')
    .option('--url <url>', 'the REST API', process.env.CAG_URL ?? 'http://127.0.0.1:3000')
    .option('--socket-url <url>', 'the encounter socket (default: from the API; local: ws://127.0.0.1:3001)')
    .option('--encounter <id>', 'join an open encounter instead of opening one (resumes after its last segment)')
    .option('--patient-scope <scope>', 'the opaque patient scope to open the encounter for')
    .option('--specialty <specialty>', 'PRIMARYCARE, CARDIOLOGY, NEUROLOGY, ONCOLOGY, RADIOLOGY or UROLOGY')
    .option('--speed <n>', '1 = real time, 4 = four times faster, 0 = no pacing', positiveSpeed, 1)
    .option('--token <jwt>', 'bearer token (default: $CAG_TOKEN, or a local dev token)')
    .option('--role <role>', 'role of the local dev token when no token is given', 'nurse')
    .option('--no-end', 'leave the encounter open')
    .option(
      '--data <dir>',
      'local data folder holding the dev signing key',
      process.env.CAG_DATA_DIR ?? DEFAULT_DATA_DIR,
    )
    .action(async (file: string, flags: Record<string, string | number | boolean | undefined>) => {
      const role = String(flags.role);
      if (!isRole(role)) throw new InvalidArgumentError('unknown role');
      const token =
        (flags.token as string | undefined) ??
        process.env.CAG_TOKEN ??
        (await signDevToken(await loadDevSigningKey(resolve(String(flags.data))), {
          userId: `cli.${userInfo().username}`,
          roles: [role as Role],
        }));
      const summary = await streamWav(new Uint8Array(await readFile(resolve(file))), {
        apiUrl: String(flags.url),
        ...(flags.socketUrl ? { socketUrl: String(flags.socketUrl) } : {}),
        ...(flags.encounter ? { encounterId: String(flags.encounter) } : {}),
        ...(flags.patientScope ? { patientScope: String(flags.patientScope) } : {}),
        ...(flags.specialty ? { specialty: String(flags.specialty) } : {}),
        token,
        speed: Number(flags.speed),
        end: flags.end !== false,
        print: (line) => process.stdout.write(`${line}\n`),
      });
      process.exitCode = summary.failedSegments.length > 0 ? 1 : 0;
    });
  return encounter;
}
