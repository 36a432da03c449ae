/** `soap-note`: an encounter transcript and/or the clinician's notes -> Subjective, Objective, Assessment, Plan. */
import { z } from 'zod';
import type { AiSourceInput } from '../../ai/ai-gateway.ts';
import { SOAP_NOTE_HEADINGS } from '../../ai/prompts/soap-note.ts';
import { MAX_TEXT_CHARS } from '../../phi/phi-requests.ts';
import { MAX_SEGMENT_TEXT_CHARS } from '../../transcription/encounter-requests.ts';
import { parseDraftInput } from './draft-input.ts';
import { parseSectionedReply, renderSections } from './draft-output.ts';
import type { DraftUseCaseSpec } from './draft-use-cases.ts';

export const TRANSCRIPT_SOURCE_PREFIX = 'segment/';
export const NOTES_SOURCE_ID = 'request/notes';

/**
 * Transcript limits follow what an encounter can record (a final of up to MAX_SEGMENT_TEXT_CHARS) and what the AI
 * gateway accepts in total (MAX_TEXT_CHARS, about ten hours of speech), so every encounter within that total can be
 * drafted. The count bound only keeps a request's size sane: finals that fit the total are rarely under 5 characters.
 */
export const MAX_TRANSCRIPT_CHARS = MAX_TEXT_CHARS;
export const MAX_TRANSCRIPT_SEGMENTS = 100_000;

/** Whether a transcript's finals fit the soap-note input, so a caller can refuse with a precise reason first. */
export function transcriptFits(segments: readonly { readonly text: string }[]): boolean {
  if (segments.length > MAX_TRANSCRIPT_SEGMENTS) return false;
  let total = 0;
  for (const segment of segments) total += segment.text.length;
  return total <= MAX_TRANSCRIPT_CHARS;
}

/** Segment ids become evidence ids inside the prompt's `id="..."` attribute, so only attribute-safe characters. */
const SegmentId = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/);

const TranscriptSegment = z.object({
  segmentId: SegmentId,
  speaker: z.string().trim().min(1).max(40).optional(),
  startMs: z.number().int().nonnegative().optional(),
  endMs: z.number().int().nonnegative().optional(),
  text: z.string().max(MAX_SEGMENT_TEXT_CHARS),
});

export const SoapNoteInput = z
  .object({
    notes: z.string().trim().min(1).max(50_000).optional(),
    transcript: z
      .object({ segments: z.array(TranscriptSegment).min(1).max(MAX_TRANSCRIPT_SEGMENTS) })
      .refine((transcript) => transcriptFits(transcript.segments), {
        message: `the transcript may hold at most ${MAX_TRANSCRIPT_CHARS} characters`,
      })
      .refine(
        (transcript) => new Set(transcript.segments.map((s) => s.segmentId)).size === transcript.segments.length,
        {
          message: 'segment ids must be unique',
        },
      )
      .optional(),
  })
  .refine((input) => input.notes !== undefined || input.transcript !== undefined, {
    message: 'give notes, a transcript, or both',
  });

export const soapNote: DraftUseCaseSpec = {
  input: SoapNoteInput,
  // The note is part of the legal record: the treating clinicians sign it.
  reviewerRoles: ['physician', 'nurse'],
  needsPatientScope: true,
  async buildSources(input) {
    const { notes, transcript } = parseDraftInput(SoapNoteInput, input);
    const sources: AiSourceInput[] = [];
    if (notes !== undefined) sources.push({ sourceId: NOTES_SOURCE_ID, category: 'notes', text: notes });
    for (const segment of transcript?.segments ?? []) {
      const text = segment.text.trim();
      if (text === '') continue;
      sources.push({
        sourceId: `${TRANSCRIPT_SOURCE_PREFIX}${segment.segmentId}`,
        category: 'notes',
        text: segment.speaker ? `${segment.speaker}: ${text}` : text,
      });
    }
    return { sources };
  },
  parseOutput: (replyText, sourceIds) => parseSectionedReply(replyText, SOAP_NOTE_HEADINGS, sourceIds),
  render: (content) => renderSections(content),
};
