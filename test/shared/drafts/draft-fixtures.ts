/** Drafts in each state for store and workflow tests: tokenized text only, as the workflow stores them. */
import type { DraftRecord } from '../../../shared/drafts/draft.ts';
import type { NewDraft } from '../../../shared/ports/draft-store.ts';

export function newDraft(overrides: Partial<NewDraft> = {}): NewDraft {
  return {
    draftId: 'draft-00000000-0001',
    useCase: 'soap-note',
    status: 'requested',
    version: 1,
    purpose: 'treatment',
    requestedScope: 'patient-scope-0001',
    requestedBy: { userId: 'dr.ames', roles: ['physician'] },
    correlationId: 'corr-0001',
    requestedAt: '2026-03-10T09:00:00.000Z',
    updatedAt: '2026-03-10T09:00:00.000Z',
    prepared: {
      useCase: 'soap-note',
      purpose: 'treatment',
      patientScope: 'patient-scope-0001',
      requester: { userId: 'dr.ames', roles: ['physician'] },
      draftId: 'draft-00000000-0001',
      promptVersion: 'soap-note@2',
      model: { id: 'offline-extractive', modelId: 'offline-extractive-v1', client: 'offline' },
      sources: [{ sourceId: 'enc-1', category: 'notes', text: '[NAME_AB12CD] reports cough for two days.' }],
      issuedTokens: ['[NAME_AB12CD]'],
      withheld: { byRole: [], byPolicy: [] },
    },
    ...overrides,
  };
}

/** The same draft, generated and waiting for review at version 3. */
export function pendingDraft(overrides: Partial<DraftRecord> = {}): DraftRecord {
  return {
    ...newDraft(),
    status: 'pending-review',
    version: 3,
    expiresAt: 1_900_000_000,
    updatedAt: '2026-03-10T09:01:00.000Z',
    generation: { eventId: 'event-1', startedAt: '2026-03-10T09:00:30.000Z', modelCalls: 1 },
    result: {
      content: {
        sections: [
          { heading: 'Subjective', statements: [{ text: '[NAME_AB12CD] reports cough.', evidence: ['enc-1'] }] },
        ],
        unsupportedStatements: 0,
      },
      text: 'Subjective\n- [NAME_AB12CD] reports cough. [evidence: enc-1]',
      model: { id: 'offline-extractive', modelId: 'offline-extractive-v1', client: 'offline', isRealModel: false },
      promptVersion: 'soap-note@2',
      extraSourceIds: [],
      readyAt: '2026-03-10T09:01:00.000Z',
    },
    ...overrides,
  };
}
