/** Port: where draft jobs live between request, generation and review; every change is a versioned conditional write. */
import type { DraftRecord } from '../drafts/draft.ts';
import type { DraftStatus } from '../drafts/draft-status.ts';
import type { DraftUseCase } from '../drafts/use-cases/draft-use-cases.ts';
import { Conflict } from '../errors/domain-errors.ts';

export interface DraftQueueQuery {
  readonly status: DraftStatus;
  /** Only drafts of these use cases (the ones the caller may review). */
  readonly useCases: readonly DraftUseCase[];
  readonly limit: number;
  /** Only drafts after this queue position (exclusive): the continuation of a previous page. */
  readonly after?: string;
  /** Only drafts before this queue position (exclusive): e.g. those unchanged since a cutoff. */
  readonly before?: string;
}

/**
 * A draft's place in its status queue: last change, then id, so the order is total and a page can resume after it.
 * Holds no PHI (a timestamp and an opaque id).
 */
export function queuePosition(draft: Pick<DraftRecord, 'updatedAt' | 'draftId'>): string {
  return `${draft.updatedAt}#${draft.draftId}`;
}

/** A draft before it is stored: the store sets its expiry from the configured retention. */
export type NewDraft = Omit<DraftRecord, 'expiresAt'>;

export interface DraftStore {
  readonly name: string;
  /**
   * Stores a new draft with `expiresAt` = now + retention and returns it; rejects with DraftAlreadyExists when the
   * id is taken (a retried request).
   */
  create(draft: NewDraft): Promise<DraftRecord>;
  get(draftId: string): Promise<DraftRecord | undefined>;
  /** Replaces the draft only if the stored one still has `expectedVersion`; otherwise StaleDraftVersion. */
  replace(draft: DraftRecord, expectedVersion: number): Promise<void>;
  /** Oldest first (by queue position) across the use cases, at most `limit` in all. */
  listByStatus(query: DraftQueueQuery): Promise<DraftRecord[]>;
}

export class DraftAlreadyExists extends Conflict {
  constructor() {
    super('DRAFT_EXISTS', 'A draft with this id already exists');
  }
}

/** Someone changed the draft since the caller read it; re-read and decide again. */
export class StaleDraftVersion extends Conflict {
  constructor() {
    super('STALE_DRAFT_VERSION', 'The draft has changed since you read it; read it again before deciding');
  }
}
