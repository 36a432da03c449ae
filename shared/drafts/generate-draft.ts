/**
 * The generator: one requested draft through the AI gateway's second half (policy re-check, model, output check,
 * audit), its reply parsed against the use case's output schema (one retry with a format reminder), and the draft
 * moved to pending-review, failed or quarantined. Runs once per event; a redelivery after a crash resumes.
 *
 * An unreachable model fails the draft (MODEL_UNAVAILABLE) rather than retrying the event: the model clients already
 * retry with backoff, a retried event would hold the draft in `generating` for hours without telling anyone, and
 * the clinician who sees `failed` can simply request it again. The whole generation runs under a deadline below the
 * function's timeout, so a slow model fails the draft too instead of the Lambda dying mid-way; anything that still
 * escapes (an outage of the store or the audit) is closed later by the stalled-draft sweeper.
 *
 * Events are published after the state is stored and then marked sent (see publish-draft-event.ts): a redelivery
 * that finds the draft already ready or failed with its event unsent publishes it (at-least-once).
 */
import { type AiGatewayPorts, completeAiRequest, OutputQuarantined } from '../ai/ai-gateway.ts';
import type { PromptSource } from '../ai/prompt-template.ts';
import { RequestAudit } from '../audit/request-audit.ts';
import { DomainError } from '../errors/domain-errors.ts';
import type { Caller } from '../identity/caller.ts';
import { recordMetric } from '../observability/record-metric.ts';
import { log } from '../observability/telemetry.ts';
import { decideModelUse } from '../policy/decide-model-use.ts';
import type { AuditSink } from '../ports/audit-sink.ts';
import type { CodeInference } from '../ports/code-inference.ts';
import { type DraftStore, StaleDraftVersion } from '../ports/draft-store.ts';
import type { EventPublisher } from '../ports/event-publisher.ts';
import type { DraftRecord } from './draft.ts';
import { type DraftStatus, transition } from './draft-status.ts';
import { owesEvent, publishDraftEvent } from './publish-draft-event.ts';
import { DRAFT_USE_CASES } from './use-cases/draft-use-cases.ts';

/** Sent with the one retry; fixed text, no PHI. */
export const FORMAT_CORRECTION =
  'Your previous reply did not match the required format. Reply again with exactly the requested structure, ' +
  'citing only the source ids given above.';

export interface GenerateDraftPorts {
  readonly drafts: DraftStore;
  readonly events: EventPublisher;
  readonly audit: AuditSink;
  readonly gateway: Omit<AiGatewayPorts, 'vault' | 'panels' | 'ids' | 'audit'>;
  /** Needed only by use cases that enrich their sources (coding review). */
  readonly codeInference?: CodeInference;
}

export type GenerationOutcome =
  | { readonly outcome: 'skipped'; readonly status?: DraftStatus }
  | { readonly outcome: 'pending-review' | 'failed' | 'quarantined'; readonly reason?: string };

class OutputSchemaInvalid extends DomainError {
  readonly status = 422;
  constructor() {
    super('OUTPUT_SCHEMA_INVALID', 'The model reply did not match the output schema twice');
  }
}

class CodeInferenceUnavailable extends DomainError {
  readonly status = 503;
  constructor() {
    super('CODE_INFERENCE_UNAVAILABLE', 'Code inference is not configured in this deployment');
  }
}

/** The requester, as the audit records them: the generator acts on their behalf. */
function requesterOf(draft: DraftRecord): Caller {
  return {
    userId: draft.requestedBy.userId,
    username: draft.requestedBy.userId,
    roles: draft.requestedBy.roles,
    clientId: undefined,
    sourceIp: undefined,
  };
}

/** The states a generation ends in; a redelivery finding one of them re-publishes an event still owed. */
const GENERATED: readonly DraftStatus[] = ['pending-review', 'failed', 'quarantined'];

export async function generateDraft(
  request: { readonly draftId: string; readonly eventId: string },
  ports: GenerateDraftPorts,
  options: { readonly signal?: AbortSignal } = {},
): Promise<GenerationOutcome> {
  const stored = await ports.drafts.get(request.draftId);
  if (!stored) {
    // Expired (TTL) before the event arrived, or an event from another deployment's replay.
    log.warn('draft to generate not found', { draftId: request.draftId });
    return { outcome: 'skipped' };
  }
  const resuming = stored.status === 'generating' && stored.generation?.eventId === request.eventId;
  if (stored.status !== 'requested' && !resuming) {
    if (GENERATED.includes(stored.status) && owesEvent(stored)) await publishDraftEvent(stored, ports);
    return { outcome: 'skipped', status: stored.status };
  }

  let draft = stored;
  if (!resuming) {
    draft = {
      ...stored,
      status: transition(stored.status, 'generating'),
      version: stored.version + 1,
      updatedAt: ports.gateway.clock.now().toISOString(),
      generation: { eventId: request.eventId, startedAt: ports.gateway.clock.now().toISOString(), modelCalls: 0 },
    };
    try {
      await ports.drafts.replace(draft, stored.version);
    } catch (error) {
      // Another delivery took it first.
      if (error instanceof StaleDraftVersion) return { outcome: 'skipped' };
      throw error;
    }
  }

  const audit = new RequestAudit(ports.audit, ports.gateway.clock, {
    action: 'draft.generate',
    caller: requesterOf(draft),
    correlationId: draft.correlationId,
  });
  const resource = { draftId: draft.draftId, patientScope: draft.prepared.patientScope };
  const spec = DRAFT_USE_CASES[draft.useCase];
  try {
    let extraSources: readonly PromptSource[] = [];
    if (spec.enrich) {
      if (!ports.codeInference) throw new CodeInferenceUnavailable();
      // The policy is checked before the text goes to code inference too, not only before the model: a request the
      // policy now refuses (model retired, attestation or consent lapsed) sends nothing anywhere.
      const { prepared } = draft;
      await decideModelUse(
        {
          useCase: prepared.useCase,
          requestedCategories: [...new Set(prepared.sources.map((source) => source.category))],
          userId: prepared.requester.userId,
          patientScope: prepared.patientScope,
          now: ports.gateway.clock.now(),
        },
        { store: ports.gateway.policy },
      );
      extraSources = await spec.enrich(draft.prepared.sources, { codeInference: ports.codeInference });
    }
    const sourceIds = new Set([...draft.prepared.sources, ...extraSources].map((source) => source.sourceId));
    const gateway = { ...ports.gateway, audit };
    const signal = options.signal;
    let reply = await completeAiRequest(draft.prepared, gateway, { extraSources, ...(signal ? { signal } : {}) });
    let parsed = spec.parseOutput(reply.text, sourceIds);
    let modelCalls = 1;
    if (!parsed.ok) {
      log.warn('draft reply failed its output schema; retrying once', { draftId: draft.draftId });
      reply = await completeAiRequest(draft.prepared, gateway, {
        extraSources,
        correction: FORMAT_CORRECTION,
        ...(signal ? { signal } : {}),
      });
      parsed = spec.parseOutput(reply.text, sourceIds);
      modelCalls = 2;
    }
    if (!parsed.ok) throw new OutputSchemaInvalid();

    const now = ports.gateway.clock.now().toISOString();
    await audit.allowed({ resource, purpose: draft.purpose });
    const ready: DraftRecord = {
      ...draft,
      status: transition(draft.status, 'pending-review'),
      version: draft.version + 1,
      updatedAt: now,
      generation: { ...(draft.generation ?? { eventId: request.eventId, startedAt: now }), modelCalls },
      result: {
        content: structuredClone(parsed.content) as NonNullable<DraftRecord['result']>['content'],
        text: spec.render(parsed.content),
        model: reply.model,
        promptVersion: reply.promptVersion,
        extraSourceIds: extraSources.map((source) => source.sourceId),
        readyAt: now,
      },
    };
    await ports.drafts.replace(ready, draft.version);
    await publishDraftEvent(ready, ports);
    recordMetric('DraftsReady', 1);
    log.info('draft ready', { draftId: draft.draftId, useCase: draft.useCase });
    return { outcome: 'pending-review' };
  } catch (error) {
    // Unexpected errors (a store outage, a bug) propagate: the bus retries, and the same event resumes the draft.
    if (!(error instanceof DomainError)) throw error;
    const status = error instanceof OutputQuarantined ? 'quarantined' : 'failed';
    await audit.failed(error.code, { resource, purpose: draft.purpose });
    await close(draft, status, error.code, ports);
    return { outcome: status, reason: error.code };
  }
}

async function close(
  draft: DraftRecord,
  status: 'failed' | 'quarantined',
  reason: string,
  ports: GenerateDraftPorts,
): Promise<void> {
  const now = ports.gateway.clock.now().toISOString();
  const closed: DraftRecord = {
    ...draft,
    status: transition(draft.status, status),
    version: draft.version + 1,
    updatedAt: now,
    failure: { reason, at: now },
  };
  await ports.drafts.replace(closed, draft.version);
  await publishDraftEvent(closed, ports);
  recordMetric('DraftsFailed', 1, { reason });
  log.warn('draft failed', { draftId: draft.draftId, useCase: draft.useCase, reason });
}
