import { describe, expect, it } from 'vitest';
import { createEvent } from '../../../shared/events/event-definition.ts';
import type { ApprovedModel } from '../../../shared/policy/approved-model.ts';
import { findReviewsDue, PolicyReviewDue } from '../../../shared/policy/review-reminders.ts';
import { approvedModel, InMemoryPolicyStore } from './policy-fakes.ts';

const NOW = new Date('2026-03-15T14:00:00Z');

function arrange(models: ApprovedModel[]) {
  const store = new InMemoryPolicyStore();
  for (const model of models) store.models.set(model.id, model);
  return { store };
}

describe('findReviewsDue', () => {
  it('reports overdue reviews, reviews due within 30 days and missing BAAs, by due day', async () => {
    const ports = arrange([
      approvedModel({ id: 'far', nextReviewOn: '2026-04-15' }),
      approvedModel({ id: 'edge', nextReviewOn: '2026-04-14' }),
      approvedModel({ id: 'today', nextReviewOn: '2026-03-15' }),
      approvedModel({ id: 'late', nextReviewOn: '2026-03-14' }),
      approvedModel({ id: 'no-baa', nextReviewOn: '2027-01-01', baa: { inPlace: false } }),
      approvedModel({ id: 'offline', nextReviewOn: '2027-01-01', client: 'offline', baa: { inPlace: false } }),
      approvedModel({ id: 'retired', nextReviewOn: '2025-01-01', status: 'retired', baa: { inPlace: false } }),
    ]);

    expect(await findReviewsDue({ now: NOW }, ports)).toEqual([
      { modelId: 'late', dueOn: '2026-03-14', reason: 'review-overdue' },
      { modelId: 'no-baa', dueOn: '2026-03-15', reason: 'baa-missing' },
      { modelId: 'today', dueOn: '2026-03-15', reason: 'review-due' },
      { modelId: 'edge', dueOn: '2026-04-14', reason: 'review-due' },
    ]);
  });

  it('widens or narrows the window on request and reports both findings of one model', async () => {
    const ports = arrange([approvedModel({ id: 'both', nextReviewOn: '2026-05-01', baa: { inPlace: false } })]);

    expect(await findReviewsDue({ now: NOW, withinDays: 7 }, ports)).toEqual([
      { modelId: 'both', dueOn: '2026-03-15', reason: 'baa-missing' },
    ]);
    expect((await findReviewsDue({ now: NOW, withinDays: 60 }, ports)).map((due) => due.reason)).toEqual([
      'baa-missing',
      'review-due',
    ]);
  });

  it('reports a BAA dated after today as missing, and stops on its execution day', async () => {
    const ports = arrange([
      approvedModel({
        id: 'signed-later',
        nextReviewOn: '2027-01-01',
        baa: { inPlace: true, executedOn: '2026-03-16' },
      }),
    ]);

    expect(await findReviewsDue({ now: NOW }, ports)).toEqual([
      { modelId: 'signed-later', dueOn: '2026-03-15', reason: 'baa-missing' },
    ]);
    expect(await findReviewsDue({ now: new Date('2026-03-16T00:00:00Z') }, ports)).toEqual([]);
  });

  it('yields details the PolicyReviewDue event accepts as they are', async () => {
    const [due] = await findReviewsDue({ now: NOW }, arrange([approvedModel({ nextReviewOn: '2026-03-01' })]));
    if (!due) throw new Error('expected a finding');
    const event = createEvent(PolicyReviewDue, due);

    expect(event).toEqual({ source: 'clinical-ai-gateway.policy', detailType: 'Policy.ReviewDue', detail: due });
    expect(() => createEvent(PolicyReviewDue, { ...due, reason: 'other' as never })).toThrow();
  });
});
