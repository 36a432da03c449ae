import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/local-runtime.ts';
import { topology } from '../../infra/topology/index.ts';
import type { EventBridgeEnvelope } from '../../shared/adapters/local/in-process-event-bus.ts';
import { patternFor } from '../../shared/events/event-definition.ts';
import { PolicyReviewDue } from '../../shared/policy/review-reminders.ts';

describe('the daily policy review reminder', () => {
  let runtime: LocalRuntime;
  let dataDir: string;
  let now = new Date('2026-03-01T12:00:00Z');
  const due: EventBridgeEnvelope[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cag-review-'));
    runtime = await startLocalRuntime({
      topology,
      rootDir: resolve(import.meta.dirname, '../..'),
      dataDir,
      memory: true,
      port: 0,
      clock: { now: () => now },
    });
    runtime.bus.subscribe({
      ruleName: 'capture',
      pattern: patternFor(PolicyReviewDue),
      deliver: async (e) => due.push(e),
    });
  });
  afterAll(async () => {
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('emits nothing while the seeded model is far from review, and Policy.ReviewDue once it is within 30 days', async () => {
    await runtime.scheduler.runNow('policy-review-reminders');
    await runtime.bus.idle();
    expect(due).toHaveLength(0);

    // The seeded model is due a year after the seed; move the clock to 20 days before that.
    now = new Date('2027-02-09T12:00:00Z');
    await runtime.scheduler.runNow('policy-review-reminders');
    await runtime.bus.idle();
    expect(due.map((event) => event.detail)).toEqual([
      { modelId: 'offline-extractive', dueOn: '2027-03-01', reason: 'review-due' },
    ]);
  });
});
