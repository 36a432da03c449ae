/** A typed fake of the DraftStore port for workflow tests: versioned replaces, like the conditional writes in DynamoDB. */
import type { DraftRecord } from '../../../shared/drafts/draft.ts';
import {
  DraftAlreadyExists,
  type DraftStore,
  type NewDraft,
  queuePosition,
  StaleDraftVersion,
} from '../../../shared/ports/draft-store.ts';

export function inMemoryDraftStore(): DraftStore & { readonly drafts: Map<string, DraftRecord> } {
  const drafts = new Map<string, DraftRecord>();
  const copy = (draft: DraftRecord): DraftRecord => structuredClone(draft);
  return {
    name: 'in-memory',
    drafts,
    async create(draft: NewDraft) {
      if (drafts.has(draft.draftId)) throw new DraftAlreadyExists();
      const stored = { ...draft, expiresAt: 1_900_000_000 };
      drafts.set(draft.draftId, copy(stored));
      return copy(stored);
    },
    async get(draftId) {
      const draft = drafts.get(draftId);
      return draft ? copy(draft) : undefined;
    },
    async replace(draft, expectedVersion) {
      if (drafts.get(draft.draftId)?.version !== expectedVersion) throw new StaleDraftVersion();
      drafts.set(draft.draftId, copy(draft));
    },
    async listByStatus(query) {
      return [...drafts.values()]
        .filter((draft) => draft.status === query.status && query.useCases.includes(draft.useCase))
        .filter((draft) => query.after === undefined || queuePosition(draft) > query.after)
        .filter((draft) => query.before === undefined || queuePosition(draft) < query.before)
        .sort((a, b) => queuePosition(a).localeCompare(queuePosition(b)))
        .slice(0, query.limit)
        .map(copy);
    },
  };
}
