/**
 * Transcriber for integrators who already have a transcript: the segment's bytes are UTF-8 lines `speaker: text`
 * (speaker optional) and each line becomes one final result. Nothing is recognised, so it is never clinical grade.
 */
import {
  type AudioSegment,
  type Transcriber,
  TranscriptionFailed,
  type TranscriptResult,
} from '../../ports/transcriber.ts';

// Text frames carry no timing; times are estimated at a conversational 150 words per minute so that results stay
// ordered and give the SOAP note a plausible span to cite. They are estimates, not measurements.
const ESTIMATED_MS_PER_WORD = 400;
// One utterance per line; a longer line is almost certainly not a transcript line (a pasted document, binary data).
const MAX_LINE_CHARS = 4000;
// A speaker label is a short token (`spk_0`, `clinician`, `patient`); anything else before a colon is text.
const SPEAKER_LINE = /^\s*([A-Za-z][A-Za-z0-9_.-]{0,31})\s*:\s*(.*)$/;

/** Splits one line into an optional speaker label and its text. */
export function parseTextFrameLine(line: string): { speaker?: string; text: string } {
  const match = SPEAKER_LINE.exec(line);
  if (match?.[1] && match[2] !== undefined) return { speaker: match[1], text: match[2].trim() };
  return { text: line.trim() };
}

async function* utf8Lines(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  // fatal: invalid UTF-8 is refused rather than turned into replacement characters in a clinical record.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = '';
  try {
    for await (const chunk of bytes) {
      pending += decoder.decode(chunk, { stream: true });
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        yield pending.slice(0, newline).replace(/\r$/, '');
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
      if (pending.length > MAX_LINE_CHARS) throw new TranscriptionFailed('BAD_AUDIO', 'A text frame line is too long');
    }
    pending += decoder.decode();
  } catch (error) {
    if (error instanceof TranscriptionFailed) throw error;
    if (error instanceof TypeError) throw new TranscriptionFailed('BAD_AUDIO', 'Text frames must be valid UTF-8');
    throw error;
  }
  if (pending) yield pending.replace(/\r$/, '');
}

export class TextFrameTranscriber implements Transcriber {
  readonly name = 'text-frames';
  readonly isClinicalGrade = false;

  async *transcribe(segment: AudioSegment, signal?: AbortSignal): AsyncIterable<TranscriptResult> {
    if (segment.encoding !== 'text-frames') {
      throw new TranscriptionFailed('BAD_AUDIO', 'The text-frame transcriber accepts text frames only');
    }
    let index = 0;
    let clockMs = 0;
    for await (const line of utf8Lines(segment.audio)) {
      signal?.throwIfAborted();
      if (line.length > MAX_LINE_CHARS) throw new TranscriptionFailed('BAD_AUDIO', 'A text frame line is too long');
      const { speaker, text } = parseTextFrameLine(line);
      if (!text) continue;
      const words = text.split(/\s+/).length;
      const startMs = clockMs;
      clockMs += words * ESTIMATED_MS_PER_WORD;
      yield {
        resultId: `text-${segment.segmentSeq}-${index++}`,
        isPartial: false,
        text,
        startMs,
        endMs: clockMs,
        ...(speaker ? { speaker } : {}),
      };
    }
  }
}
