/**
 * The encounter socket protocol: JSON text messages in both directions, one audio segment per message. Client
 * messages are validated here; server messages are typed here so that the handlers, the CLI and the README agree.
 * Each client message gets exactly one reply as the route response (`segment-done`, `status` or `error`); progress
 * (`accepted`, `partial`) is pushed only where a push channel exists (the local runtime), never in AWS.
 */
import { z } from 'zod';
import type { TranscriptionFailureReason } from '../ports/transcriber.ts';
import { MAX_OFFSET_MS, MAX_SEGMENT_TEXT_CHARS, MAX_SEGMENTS, MAX_SOCKET_MESSAGE_BYTES } from './encounter-requests.ts';

/** The subprotocol the server selects; the client offers it together with `bearer.<JWT>`. */
export const SOCKET_PROTOCOL = 'cag.v1';
export const BEARER_PROTOCOL_PREFIX = 'bearer.';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export const SegmentMessage = z
  .object({
    action: z.literal('segment'),
    seq: z
      .number()
      .int()
      .min(0)
      .max(MAX_SEGMENTS - 1),
    /** Where the segment starts in the encounter's audio, so stored times are encounter-relative. */
    offsetMs: z.number().int().min(0).max(MAX_OFFSET_MS).optional(),
    /** Base64 PCM s16le or OGG/Opus bytes, for audio encounters (at most MAX_SEGMENT_AUDIO_BYTES decoded). */
    audio: z.string().min(4).max(MAX_SOCKET_MESSAGE_BYTES).regex(BASE64).optional(),
    /** `speaker: text` lines, for text-frame encounters. */
    text: z.string().min(1).max(MAX_SEGMENT_TEXT_CHARS).optional(),
  })
  .strict();
export type SegmentMessage = z.infer<typeof SegmentMessage>;

export const StatusMessage = z.object({ action: z.literal('status') }).strict();

export const ClientMessage = z.discriminatedUnion('action', [SegmentMessage, StatusMessage]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** Stable codes of `error` messages; the message text is fixed per code and never echoes input. */
export type SocketErrorCode =
  | 'INVALID_MESSAGE'
  | 'MESSAGE_TOO_LARGE'
  | 'SEGMENT_TOO_LARGE'
  | 'WRONG_SEGMENT_KIND'
  | 'INVALID_AUDIO'
  | 'SEGMENT_ALREADY_RECEIVED'
  | 'ENCOUNTER_ENDED'
  | 'NOT_CONNECTED'
  | 'TOKEN_EXPIRED'
  | 'NOT_PERMITTED'
  | 'TRANSCRIPTION_FAILED'
  | 'AUDIT_UNAVAILABLE'
  | 'INTERNAL_ERROR';

/** One final result of a segment, as the segment's reply carries it. */
export interface TranscriptFinal {
  readonly segmentId: string;
  readonly text: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly speaker?: string;
}

/**
 * Replies (the route response; one per client message): `segment-done`, `status`, `error`. Progress (pushed only
 * where a push channel exists, so a client must never wait for it): `accepted`, `partial`.
 */
export type ServerMessage =
  | { readonly type: 'accepted'; readonly seq: number }
  | {
      readonly type: 'partial';
      readonly seq: number;
      readonly resultId: string;
      readonly text: string;
      readonly startMs: number;
      readonly endMs: number;
      readonly speaker?: string;
    }
  | {
      /** The reply to a segment: its final results in order, encounter-relative, with the ids a note can cite. */
      readonly type: 'segment-done';
      readonly seq: number;
      readonly finals: readonly TranscriptFinal[];
    }
  | {
      readonly type: 'status';
      readonly encounterId: string;
      readonly status: 'open' | 'ended';
      /** The sequence number to send next: one past the highest accepted. */
      readonly nextSeq: number;
      readonly done: readonly number[];
      readonly inFlight: readonly number[];
    }
  | {
      readonly type: 'error';
      readonly code: SocketErrorCode;
      readonly message: string;
      readonly seq?: number;
      /** Whether sending the same segment again may succeed. */
      readonly retryable?: boolean;
      readonly reason?: TranscriptionFailureReason;
    };

/** Finds the bearer token a client offered as a subprotocol (`Sec-WebSocket-Protocol: cag.v1, bearer.<JWT>`). */
export function bearerFromProtocols(header: string | undefined): string | undefined {
  for (const offered of (header ?? '').split(',')) {
    const value = offered.trim();
    if (value.startsWith(BEARER_PROTOCOL_PREFIX) && value.length > BEARER_PROTOCOL_PREFIX.length) {
      return value.slice(BEARER_PROTOCOL_PREFIX.length);
    }
  }
  return undefined;
}
