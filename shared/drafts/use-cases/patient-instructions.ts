/**
 * `patient-instructions`: a reusable, PHI-free instruction template on a topic, from the practice's own documents
 * only. No patient scope and no patient data: the practice fills the placeholders in its own system.
 */
import { z } from 'zod';
import {
  PATIENT_INSTRUCTION_PLACEHOLDERS,
  PATIENT_INSTRUCTIONS_HEADINGS,
} from '../../ai/prompts/patient-instructions.ts';
import { ValidationFailed } from '../../errors/domain-errors.ts';
import { parseDraftInput, shortLabel } from './draft-input.ts';
import { parseSectionedReply, renderSections } from './draft-output.ts';
import type { DraftUseCaseSpec } from './draft-use-cases.ts';
import { knowledgeSources } from './knowledge-sources.ts';

export const TOPIC_CHUNKS = 6;
export const DEFAULT_READING_GRADE = 6;

export const PatientInstructionsInput = z.object({
  /** What the instructions are about ("after knee arthroscopy", "colonoscopy preparation"): never a patient detail. */
  topic: shortLabel(200),
  /** US school grade the text should read at; sixth grade when absent (health-literacy guidance). */
  audienceReadingLevel: z.number().int().min(3).max(12).optional(),
  /** BCP 47 language tag such as `en` or `es-MX`; English when absent. */
  language: z
    .string()
    .regex(/^[a-z]{2,3}(?:-[A-Z]{2})?$/)
    .optional(),
});

export const patientInstructions: DraftUseCaseSpec = {
  input: PatientInstructionsInput,
  reviewerRoles: ['physician', 'nurse'],
  needsPatientScope: false,
  async buildSources(input, context) {
    const request = parseDraftInput(PatientInstructionsInput, input);
    // Only 'reference' sources: nothing about a patient can enter a template.
    const sources = await knowledgeSources(context, request.topic, TOPIC_CHUNKS);
    if (sources.length === 0) {
      throw new ValidationFailed(
        'NO_PRACTICE_DOCUMENTS',
        "No practice document matches the topic; patient instructions are written only from the practice's own documents",
      );
    }
    const instructions = [
      `Topic: ${request.topic}.`,
      `Reading level: grade ${request.audienceReadingLevel ?? DEFAULT_READING_GRADE}.`,
      `Language: ${request.language ?? 'en'}.`,
    ].join('\n');
    return { sources, instructions };
  },
  parseOutput: (replyText, sourceIds) => parseSectionedReply(replyText, PATIENT_INSTRUCTIONS_HEADINGS, sourceIds),
  render: (content) =>
    renderSections(content, {
      preamble: [
        'PATIENT INSTRUCTION TEMPLATE: holds no patient data; fill the {{placeholders}} in your own system.',
        `Placeholders: ${PATIENT_INSTRUCTION_PLACEHOLDERS.join(', ')}`,
        `For: {{patient_name}}    Visit: {{visit_date}}    Clinician: {{clinician_name}}`,
      ],
      closing: ['Questions or worse symptoms? Call {{practice_phone}}. In an emergency call 911.'],
    }),
};
