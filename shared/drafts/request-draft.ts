/**
 * Accepting a draft job: the use case builds its sources, the AI gateway filters them by role and policy and
 * de-identifies them (fail closed), and only then is the draft stored (tokenized) and `Draft.Requested` published.
 * Any failure before the store leaves no draft behind.
 *
 * Idempotency: a key names one logical request (a hash of it is kept on the draft; a different request under the
 * same key is refused). A retry returns the draft the key produced, unless that draft failed for a transient cause
 * (the bus, the model, a stalled generation): then the retry is a new attempt, a new draft with an id derived from
 * the key and the attempt number, so a fixed key (one per encounter) is not pinned to a dead draft.
 */
import { createHash } from 'node:crypto';
import { type AiGatewayPorts, prepareAiRequest } from '../ai/ai-gateway.ts';
import { mayStartUseCase } from '../ai/use-cases.ts';
import { Conflict, Forbidden } from '../errors/domain-errors.ts';
import { createEvent } from '../events/event-definition.ts';
import type { Caller } from '../identity/caller.ts';
import { rolesForPatient } from '../identity/minimum-necessary.ts';
import { isPhiFreeQuery } from '../knowledge/screen-query.ts';
import { recordMetric } from '../observability/record-metric.ts';
import { log } from '../observability/telemetry.ts';
import { DraftAlreadyExists, type DraftStore, StaleDraftVersion } from '../ports/draft-store.ts';
import type { EventPublisher } from '../ports/event-publisher.ts';
import type { ChunkIndex } from '../ports/knowledge-store.ts';
import type { TokenMac } from '../ports/token-mac.ts';
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
  /** Keys the request fingerprint, so a stored fingerprint of PHI cannot be guessed back from candidate inputs. */
  readonly mac: TokenMac;
}

export interface DraftAccepted {
  readonly draftId: string;
  readonly status: DraftRecord['status'];
  readonly version: number;
  /** True when an earlier request with the same idempotency key had already created this draft. */
  readonly replayed: boolean;
}

/** Failures a new attempt can cure; a refusal (policy, quarantine, bad output) stays the key's answer. */
export const RETRYABLE_FAILURES: readonly string[] = [
  'EVENT_PUBLISH_FAILED',
  'MODEL_UNAVAILABLE',
  // The detector could not scan the reply (an outage, not a finding): nothing was released, and a new attempt may pass.
  'DEID_FAILED',
  'GENERATION_TIMED_OUT',
  'REQUEST_STALLED',
];

/** How many drafts one key may produce: a retry loop against a broken deployment ends on the last failed one. */
export const MAX_ATTEMPTS = 5;

/** Deterministic per requester, key and attempt, so a retried POST finds the draft the first attempt created. */
function draftIdFor(caller: Caller, request: DraftRequest, ids: AiGatewayPorts['ids'], attempt: number): string {
  if (request.idempotencyKey === undefined) return `draft-${ids.next()}`;
  const seed = `${caller.userId}\n${request.idempotencyKey}${attempt === 0 ? '' : `\n${attempt}`}`;
  return `draft-${createHash('sha256').update(seed).digest('hex').slice(0, 32)}`;
}

/** JSON with object keys sorted, so the same request hashes alike however its fields were ordered. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonical(field)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * An HMAC under the vault's MAC key (KMS in AWS) of requester, key and request: the input holds PHI, so a plain
 * hash of it could be confirmed by hashing guesses; without the key it cannot. The prefix keeps these MACs apart
 * from the vault's token MACs.
 */
export async function requestHashOf(
  caller: Pick<Caller, 'userId'>,
  request: DraftRequest,
  mac: TokenMac,
): Promise<string> {
  const { useCase, patientScope, purpose, input } = request;
  const message = `draft-request\n${caller.userId}\n${request.idempotencyKey ?? ''}\n${canonical({ useCase, patientScope, purpose, input })}`;
  const [digest] = await mac.macAll([message]);
  if (digest === undefined) throw new Error('The MAC returned no digest');
  return Buffer.from(digest).toString('hex');
}

function replayOf(existing: DraftRecord, request: DraftRequest, hash: string): DraftAccepted {
  const same =
    existing.requestHash !== undefined ? existing.requestHash === hash : existing.useCase === request.useCase;
  if (!same) {
    throw new Conflict('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for a different request');
  }
  return { draftId: existing.draftId, status: existing.status, version: existing.version, replayed: true };
}

function isRetryable(draft: DraftRecord): boolean {
  return draft.status === 'failed' && RETRYABLE_FAILURES.includes(draft.failure?.reason ?? '');
}

/**
 * The key's current draft (a replay) or the attempt to create next. Walks the attempts in order: each one that
 * failed transiently leads to the next.
 */
async function slotFor(
  caller: Caller,
  request: DraftRequest,
  hash: string,
  ports: RequestDraftPorts,
): Promise<{ readonly replay: DraftAccepted } | { readonly draftId: string; readonly attempt: number }> {
  const { ids } = ports.gateway;
  if (request.idempotencyKey === undefined) return { draftId: draftIdFor(caller, request, ids, 0), attempt: 0 };
  for (let attempt = 0; ; attempt += 1) {
    const draftId = draftIdFor(caller, request, ids, attempt);
    const existing = await ports.drafts.get(draftId);
    if (!existing) return { draftId, attempt };
    const replay = replayOf(existing, request, hash);
    if (!isRetryable(existing) || attempt + 1 >= MAX_ATTEMPTS) return { replay };
  }
}

export async function requestDraft(
  request: DraftRequest,
  context: { readonly caller: Caller; readonly correlationId: string },
  ports: RequestDraftPorts,
): Promise<DraftAccepted> {
  const { caller } = context;
  const { gateway } = ports;
  const spec = DRAFT_USE_CASES[request.useCase];
  const hash = await requestHashOf(caller, request, ports.mac);
  const slot = await slotFor(caller, request, hash, ports);
  if ('replay' in slot) return slot.replay;
  const { draftId, attempt } = slot;

  // Refused before the input is even read: building sources may parse a whole record.
  if (!mayStartUseCase(request.useCase, caller.roles)) {
    throw new Forbidden('USE_CASE_NOT_PERMITTED', 'Your role may not start this use case');
  }
  // Off the caller's panel only their unrestricted roles count (e.g. a physician who also works in billing).
  const roles = request.patientScope
    ? await rolesForPatient(caller, 'draft.request', request.patientScope, gateway.panels)
    : caller.roles;
  if (!mayStartUseCase(request.useCase, roles))
    throw new Forbidden('NOT_ON_PANEL', 'This patient is not on your panel');
  const acting: Caller = { ...caller, roles };

  const built = await spec.buildSources(request.input, {
    caller: acting,
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
      caller: acting,
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
      // The hash only serves the key: a draft without one keeps nothing derived from its input.
      ...(request.idempotencyKey !== undefined
        ? { idempotencyKey: request.idempotencyKey, attempt, requestHash: hash }
        : {}),
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
    if (existing) return replayOf(existing, request, hash);
    throw error;
  }

  try {
    await ports.events.publish([createEvent(DraftRequested, { draftId, useCase: request.useCase })]);
  } catch (error) {
    // Without the event nothing would ever generate it: the draft is closed as failed rather than left waiting.
    // If the close fails too, the draft stays `requested` and the stalled-draft sweeper closes it later; either way
    // the caller gets the original error (a retry with the same key then starts a new attempt).
    log.error('draft requested event not published', error, { draftId });
    try {
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
    } catch (closeError) {
      // Stale: a delivery that did get through moved it on. Anything else: the sweeper's job.
      if (!(closeError instanceof StaleDraftVersion)) {
        log.error('draft not closed after a failed publish', closeError, { draftId });
      }
    }
    throw error;
  }
  recordMetric('DraftsRequested', 1);
  log.info('draft requested', { draftId, useCase: request.useCase });
  return { draftId, status: draft.status, version: draft.version, replayed: false };
}
