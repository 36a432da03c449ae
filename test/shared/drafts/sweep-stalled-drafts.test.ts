import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/audit/audit-entry.ts';
import type { DraftRecord } from '../../../shared/drafts/draft.ts';
import { STALL_LIMIT_MINUTES, sweepStalledDrafts } from '../../../shared/drafts/sweep-stalled-drafts.ts';
import type { DomainEvent } from '../../../shared/events/event-definition.ts';
import { newDraft } from './draft-fixtures.ts';
import { inMemoryDraftStore } from './in-memory-draft-store.ts';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();

describe('sweepStalledDrafts', () => {
  it('fails drafts stuck in generating or requested past the limit, audited and announced, and no others', async () => {
    const store = inMemoryDraftStore();
    const published: DomainEvent[] = [];
    const audit: AuditEntry[] = [];
    const stalled = (draftId: string, status: DraftRecord['status'], minutes: number) =>
      store.create(
        newDraft({ draftId, status, version: status === 'generating' ? 2 : 1, updatedAt: minutesAgo(minutes) }),
      );
    await stalled('draft-stuck-gen-0001', 'generating', STALL_LIMIT_MINUTES + 5);
    await stalled('draft-stuck-req-0001', 'requested', STALL_LIMIT_MINUTES + 1);
    await stalled('draft-fresh-gen-0001', 'generating', STALL_LIMIT_MINUTES - 1);
    await stalled('draft-fresh-req-0001', 'requested', 1);
    await stalled('draft-old-ready-0001', 'pending-review', 600);

    const ports = {
      drafts: store,
      events: { name: 'capture', publish: async (events: readonly DomainEvent[]) => void published.push(...events) },
      audit: { name: 'capture', record: async (entry: AuditEntry) => void audit.push(entry) },
      clock: { now: () => NOW },
    };
    expect(await sweepStalledDrafts(ports)).toEqual({ closed: 2 });

    expect(store.drafts.get('draft-stuck-gen-0001')).toMatchObject({
      status: 'failed',
      version: 3,
      failure: { reason: 'GENERATION_TIMED_OUT', at: NOW.toISOString() },
    });
    expect(store.drafts.get('draft-stuck-req-0001')).toMatchObject({
      status: 'failed',
      failure: { reason: 'REQUEST_STALLED' },
    });
    for (const id of ['draft-fresh-gen-0001', 'draft-fresh-req-0001', 'draft-old-ready-0001']) {
      expect(store.drafts.get(id)?.failure, id).toBeUndefined();
    }
    expect(published.map((event) => [event.detailType, event.detail])).toEqual([
      ['Draft.Failed', { draftId: 'draft-stuck-gen-0001', useCase: 'soap-note', reason: 'GENERATION_TIMED_OUT' }],
      ['Draft.Failed', { draftId: 'draft-stuck-req-0001', useCase: 'soap-note', reason: 'REQUEST_STALLED' }],
    ]);
    expect(audit.map((entry) => [entry.action, entry.outcome, entry.reason, entry.resource.draftId])).toEqual([
      ['draft.generate', 'failed', 'GENERATION_TIMED_OUT', 'draft-stuck-gen-0001'],
      ['draft.generate', 'failed', 'REQUEST_STALLED', 'draft-stuck-req-0001'],
    ]);

    // A second run finds nothing left.
    expect(await sweepStalledDrafts(ports)).toEqual({ closed: 0 });
  });
});
