/**
 * Accepting a draft job: the use case builds its sources, the AI gateway filters them by role and policy and
 * de-identifies them (fail closed), and only then is the draft stored (tokenized) and `Draft.Requested` published.
 * Any failure before the store leaves no draft behind.
 */
import { createHash } from 'node:crypto';
import { type AiGatewayPorts, prepareAiRequest } from '../ai/ai-gateway.ts';
import { mayStartUseCase } from '../ai/use-cases.ts';
import { Conflict, Forbidden } from '../errors/domain-errors.ts';
import { createEvent } from '../events/event-definition.ts';
import type { Caller } from '../identity/caller.ts';
import { assertPanelAccess } from '../identity/minimum-necessary.ts';
import { isPhiFreeQuery } from '../knowledge/screen-query.ts';
import { recordMetric } from '../observability/record-metric.ts';
import { log } from '../observability/telemetry.ts';
import type { DraftStore } from '../ports/draft-store.ts';
import { DraftAlreadyExists } from '../ports/draft-store.ts';
import type { EventPublisher } from '../ports/event-publisher.ts';
import type { ChunkIndex } from '../ports/knowledge-store.ts';
import type { DraftRecord } from './draft.ts';
import { DraftRequested } from './draft-events.ts';
import type { DraftRequest } from './draft-requests.ts';
import { transition } from './draft-status.ts';
import { DRAFT_USE_CASES, type KnowledgeHit } from './use-cases/draft-use-cases.ts';

export interface RequestDraftPorts {
  readonly drafts: DraftStore;
  readonly events: EventPublisher;
  /** The AI gateway's ports; `audit` is the request's audit, which records the allowed request with the draft id. */
  readonly gateway: AiGatewayPorts;
  /** The practice's documents (PHI-free), for use cases that cite the practice's own requirements. */
  readonly knowledge: () => Promise<ChunkIndex>;
}

export interface DraftAccepted {
  readonly draftId: string;
  readonly status: DraftRecord['status'];
  readonly version: number;
  /** True when an earlier request with the same idempotency key had already created this draft. */
  readonly replayed: boolean;
}

/** Deterministic per requester and key, so a retried POST finds the draft the first attempt created. */
function draftIdFor(caller: Caller, request: DraftRequest, ids: AiGatewayPorts['ids']): string {
  if (request.idempotencyKey === undefined) return `draft-${ids.next()}`;
  const digest = createHash('sha256').update(`${caller.userId}\n${request.idempotencyKey}`).digest('hex');
  return `draft-${digest.slice(0, 32)}`;
}

function replayOf(existing: DraftRecord, request: DraftRequest): DraftAccepted {
  if (existing.useCase !== request.useCase) {
    throw new Conflict('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for a different request');
  }
  return { draftId: existing.draftId, status: existing.status, version: existing.version, replayed: true };
}

export async function requestDraft(
  request: DraftRequest,
  context: { readonly caller: Caller; readonly correlationId: string },
  ports: RequestDraftPorts,
): Promise<DraftAccepted> {
  const { caller } = context;
  const { gateway } = ports;
  const spec = DRAFT_USE_CASES[request.useCase];
  const draftId = draftIdFor(caller, request, gateway.ids);
  if (request.idempotencyKey !== undefined) {
    const existing = await ports.drafts.get(draftId);
    if (existing) return replayOf(existing, request);
  }

  // Refused before the input is even read: building sources may parse a whole record.
  if (!mayStartUseCase(request.useCase, caller.roles)) {
    throw new Forbidden('USE_CASE_NOT_PERMITTED', 'Your role may not start this use case');
  }
  if (request.patientScope) await assertPanelAccess(caller, 'draft.request', request.patientScope, gateway.panels);

  const built = await spec.buildSources(request.input, {
    caller,
    ...(request.patientScope ? { patientScope: request.patientScope } : {}),
    searchKnowledge: async (query, limit) => {
      const index = await ports.knowledge();
      const hits = await index.search(query, limit, {
        audiences: ['staff', 'public'],
        queryIsPhiFree: await isPhiFreeQuery(gateway.detector, query),
      });
      return hits.map(
        (hit): KnowledgeHit => ({
          chunkId: hit.chunk.chunkId,
          documentId: hit.chunk.documentId,
          title: hit.chunk.title,
          headingPath: hit.chunk.headingPath,
          text: hit.chunk.text,
        }),
      );
    },
  });

  // Role filter, panel, policy (consent for psychotherapy and Part 2 records) and de-identification, in that order.
  const prepared = await prepareAiRequest(
    {
      useCase: request.useCase,
      caller,
      purpose: request.purpose,
      ...(request.patientScope ? { patientScope: request.patientScope } : {}),
      sources: built.sources,
      ...(built.instructions ? { instructions: built.instructions } : {}),
      draftId,
    },
    gateway,
  );

  const now = gateway.clock.now().toISOString();
  let draft: DraftRecord;
  try {
    draft = await ports.drafts.create({
      draftId,
      useCase: request.useCase,
      status: 'requested',
      version: 1,
      purpose: request.purpose,
      ...(request.patientScope ? { requestedScope: request.patientScope } : {}),
      requestedBy: { userId: caller.userId, roles: [...caller.roles] },
      ...(request.idempotencyKey !== undefined ? { idempotencyKey: request.idempotencyKey } : {}),
      correlationId: context.correlationId,
      requestedAt: now,
      updatedAt: now,
      prepared: {
        ...prepared,
        useCase: request.useCase,
        requester: { userId: prepared.requester.userId, roles: [...prepared.requester.roles] },
        sources: prepared.sources.map((source) => ({ ...source })),
        issuedTokens: [...prepared.issuedTokens],
        withheld: { byRole: [...prepared.withheld.byRole], byPolicy: [...prepared.withheld.byPolicy] },
      },
    });
  } catch (error) {
    // Two retries of the same request raced: the first one's draft is the answer.
    const existing = error instanceof DraftAlreadyExists ? await ports.drafts.get(draftId) : undefined;
    if (existing) return replayOf(existing, request);
    throw error;
  }

  try {
    await ports.events.publish([createEvent(DraftRequested, { draftId, useCase: request.useCase })]);
  } catch (error) {
    // Without the event nothing would ever generate it: the draft is closed as failed rather than left waiting.
    log.error('draft requested event not published', error, { draftId });
    await ports.drafts.replace(
      {
        ...draft,
        status: transition(draft.status, 'failed'),
        version: draft.version + 1,
        updatedAt: gateway.clock.now().toISOString(),
        failure: { reason: 'EVENT_PUBLISH_FAILED', at: gateway.clock.now().toISOString() },
      },
      draft.version,
    );
    throw error;
  }
  recordMetric('DraftsRequested', 1);
  log.info('draft requested', { draftId, useCase: request.useCase });
  return { draftId, status: draft.status, version: draft.version, replayed: false };
}
