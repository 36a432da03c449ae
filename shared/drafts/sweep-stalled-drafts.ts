/**
 * Closes drafts that stalled: a generation that died without closing its draft (a store or audit outage, a crash
 * after EventBridge gave up) or a request whose publish and close both failed would otherwise wait forever. Each is
 * failed with a stable code, audited on the requester's behalf as the generator would, and announced with
 * `Draft.Failed`; a retried request with the same key then starts a new attempt.
 */
import { RequestAudit } from '../audit/request-audit.ts';
import type { Caller } from '../identity/caller.ts';
import { recordMetric } from '../observability/record-metric.ts';
import { log } from '../observability/telemetry.ts';
import type { AuditSink } from '../ports/audit-sink.ts';
import type { Clock } from '../ports/clock.ts';
import { type DraftStore, queuePosition, StaleDraftVersion } from '../ports/draft-store.ts';
import type { EventPublisher } from '../ports/event-publisher.ts';
import { DRAFT_USE_CASE_NAMES, type DraftRecord } from './draft.ts';
import { transition } from './draft-status.ts';
import { publishDraftEvent } from './publish-draft-event.ts';

/**
 * How long a draft may sit in `requested` or `generating`: well above the generator's own deadline (below its 300 s
 * timeout), so a live generation is never cut off. EventBridge may still hold a retry of the event (up to 6 h): it
 * finds the draft failed and does nothing, and the requester's retry with the same key starts a new attempt, which
 * beats a draft that says `generating` for hours.
 */
export const STALL_LIMIT_MINUTES = 20;

/** At most this many drafts per status and run; the next run (every 15 minutes) takes the rest. */
export const SWEEP_BATCH = 100;

const STALLED = [
  { status: 'generating', reason: 'GENERATION_TIMED_OUT' },
  { status: 'requested', reason: 'REQUEST_STALLED' },
] as const;

export interface SweepPorts {
  readonly drafts: DraftStore;
  readonly events: EventPublisher;
  readonly audit: AuditSink;
  readonly clock: Clock;
}

function requesterOf(draft: DraftRecord): Caller {
  return {
    userId: draft.requestedBy.userId,
    username: draft.requestedBy.userId,
    roles: draft.requestedBy.roles,
    clientId: undefined,
    sourceIp: undefined,
  };
}

export async function sweepStalledDrafts(ports: SweepPorts): Promise<{ readonly closed: number }> {
  const now = ports.clock.now();
  const cutoff = new Date(now.getTime() - STALL_LIMIT_MINUTES * 60_000).toISOString();
  let closed = 0;
  for (const { status, reason } of STALLED) {
    const stalled = await ports.drafts.listByStatus({
      status,
      useCases: DRAFT_USE_CASE_NAMES,
      limit: SWEEP_BATCH,
      // Every draft last changed before the cutoff, whatever its id.
      before: queuePosition({ updatedAt: cutoff, draftId: '' }),
    });
    for (const draft of stalled) {
      if (draft.updatedAt >= cutoff) continue;
      const failed: DraftRecord = {
        ...draft,
        status: transition(draft.status, 'failed'),
        version: draft.version + 1,
        updatedAt: now.toISOString(),
        failure: { reason, at: now.toISOString() },
      };
      const audit = new RequestAudit(ports.audit, ports.clock, {
        action: 'draft.generate',
        caller: requesterOf(draft),
        correlationId: draft.correlationId,
      });
      try {
        await ports.drafts.replace(failed, draft.version);
      } catch (error) {
        // The generation moved on after all: it is not stalled.
        if (error instanceof StaleDraftVersion) continue;
        throw error;
      }
      await audit.failed(reason, {
        resource: { draftId: draft.draftId, patientScope: draft.prepared.patientScope },
        purpose: draft.purpose,
      });
      await publishDraftEvent(failed, ports);
      recordMetric('DraftsFailed', 1, { reason });
      log.warn('stalled draft failed', { draftId: draft.draftId, useCase: draft.useCase, reason });
      closed += 1;
    }
  }
  return { closed };
}
