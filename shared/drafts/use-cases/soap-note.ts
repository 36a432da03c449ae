/** `soap-note`: an encounter transcript and/or the clinician's notes -> Subjective, Objective, Assessment, Plan. */
import { z } from 'zod';
import type { AiSourceInput } from '../../ai/ai-gateway.ts';
import { SOAP_NOTE_HEADINGS } from '../../ai/prompts/soap-note.ts';
import { parseDraftInput } from './draft-input.ts';
import { parseSectionedReply, renderSections } from './draft-output.ts';
import type { DraftUseCaseSpec } from './draft-use-cases.ts';

export const TRANSCRIPT_SOURCE_PREFIX = 'segment/';
export const NOTES_SOURCE_ID = 'request/notes';

/** Segment ids become evidence ids inside the prompt's `id="..."` attribute, so only attribute-safe characters. */
const SegmentId = z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/);

const TranscriptSegment = z.object({
  segmentId: SegmentId,
  speaker: z.string().trim().min(1).max(40).optional(),
  startMs: z.number().int().nonnegative().optional(),
  endMs: z.number().int().nonnegative().optional(),
  text: z.string().max(10_000),
});

export const SoapNoteInput = z
  .object({
    notes: z.string().trim().min(1).max(50_000).optional(),
    transcript: z
      .object({ segments: z.array(TranscriptSegment).min(1).max(5_000) })
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
