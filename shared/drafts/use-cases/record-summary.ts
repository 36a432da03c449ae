/** `record-summary`: a FHIR R4 bundle -> a pre-visit summary citing `ResourceType/id` for every statement. */
import { z } from 'zod';
import { RECORD_SUMMARY_HEADINGS } from '../../ai/prompts/record-summary.ts';
import { ValidationFailed } from '../../errors/domain-errors.ts';
import { FhirBundleInput, parseDraftInput } from './draft-input.ts';
import { parseSectionedReply, renderSections } from './draft-output.ts';
import type { DraftUseCaseSpec } from './draft-use-cases.ts';
import { bundleSources } from './record-sources.ts';

export const RecordSummaryInput = z.object({ bundle: FhirBundleInput });

export const recordSummary: DraftUseCaseSpec = {
  input: RecordSummaryInput,
  reviewerRoles: ['physician', 'nurse'],
  needsPatientScope: true,
  async buildSources(input) {
    const { bundle } = parseDraftInput(RecordSummaryInput, input);
    const sources = bundleSources(bundle, { includePatient: false });
    if (sources.length === 0) {
      throw new ValidationFailed('BUNDLE_HAS_NO_RECORD', 'The bundle holds no resource a record summary can use');
    }
    return { sources };
  },
  parseOutput: (replyText, sourceIds) => parseSectionedReply(replyText, RECORD_SUMMARY_HEADINGS, sourceIds),
  render: (content) => renderSections(content),
};
