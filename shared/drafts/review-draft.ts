/**
 * Human review: a reviewer of the use case approves (optionally edited) or rejects a pending draft. Optimistic
 * concurrency on the draft version; the same decision repeated by the same reviewer is answered, not applied again.
 * The reviewer's edits and reason are de-identified with the draft's scope first, so the stored approved text and
 * the diff hold tokens, never PHI in the clear; that happens only once the checks pass, so a stale or refused review
 * writes nothing to the vault. The decision's event is published after the state is stored and marked sent: a
 * repeat of a review whose publish failed publishes it again (at-least-once; `Draft.Approved` is the one event
 * downstream systems act on, so it must not be lost).
 */
import { createTwoFilesPatch } from 'diff';
import type { RequestAudit } from '../audit/request-audit.ts';
import { Conflict, Forbidden } from '../errors/domain-errors.ts';
import type { Caller } from '../identity/caller.ts';
import { recordMetric } from '../observability/record-metric.ts';
import { log } from '../observability/telemetry.ts';
import { deidentify } from '../phi/deidentify.ts';
import { findTokens } from '../phi/vault-token.ts';
import type { Clock } from '../ports/clock.ts';
import { type DraftStore, StaleDraftVersion } from '../ports/draft-store.ts';
import type { EventPublisher } from '../ports/event-publisher.ts';
import type { Ids } from '../ports/ids.ts';
import type { PanelDirectory } from '../ports/panel-directory.ts';
import type { PhiDetector } from '../ports/phi-detector.ts';
import type { TokenVault } from '../ports/token-vault.ts';
import type { DraftRecord } from './draft.ts';
import { coversCategories, loadVisibleDraft, needsPanel, reviewerRolesOf } from './draft-access.ts';
import type { DraftReviewRequest } from './draft-requests.ts';
import { transition } from './draft-status.ts';
import { owesEvent, publishDraftEvent } from './publish-draft-event.ts';

export interface ReviewDraftPorts {
  readonly drafts: DraftStore;
  readonly panels: PanelDirectory;
  readonly detector: PhiDetector;
  readonly vault: TokenVault;
  readonly ids: Ids;
  readonly clock: Clock;
  readonly events: EventPublisher;
  readonly audit: RequestAudit;
}

export interface ReviewOutcome {
  readonly draftId: string;
  readonly status: DraftRecord['status'];
  readonly version: number;
  readonly decision: 'approve' | 'reject';
  readonly reviewerId: string;
  readonly reviewedAt: string;
  readonly edited: boolean;
  /** True when this answered a repeat of a decision already recorded. */
  readonly replayed: boolean;
}

function outcomeOf(draft: DraftRecord, replayed: boolean): ReviewOutcome {
  const review = draft.review;
  if (!review) throw new Error('A reviewed draft has no review');
  return {
    draftId: draft.draftId,
    status: draft.status,
    version: draft.version,
    decision: review.decision,
    reviewerId: review.reviewerId,
    reviewedAt: review.reviewedAt,
    edited: review.edited,
    replayed,
  };
}

export async function reviewDraft(
  draftId: string,
  request: DraftReviewRequest,
  caller: Caller,
  ports: ReviewDraftPorts,
): Promise<ReviewOutcome> {
  // `roles`: off the panel, only the caller's unrestricted roles count (a physician who also works in billing).
  const { draft, roles } = await loadVisibleDraft(draftId, caller, ports);
  const through = reviewerRolesOf({ roles }, draft.useCase);
  if (through.length === 0) {
    throw new Forbidden('REVIEW_NOT_PERMITTED', 'Your role may not review drafts of this kind');
  }
  if (needsPanel(through, draft) && !(await ports.panels.isOnPanel(caller.userId, draft.requestedScope ?? ''))) {
    throw new Forbidden('NOT_ON_PANEL', 'This patient is not on your panel');
  }
  if (!coversCategories({ roles }, draft)) {
    throw new Forbidden('DRAFT_BEYOND_ROLE', 'The draft draws on record categories your role may not see');
  }
  const resource = { draftId: draft.draftId, patientScope: draft.prepared.patientScope };

  const previous = draft.review;
  const maybeRepeat =
    previous !== undefined &&
    previous.reviewerId === caller.userId &&
    previous.decision === request.decision &&
    previous.reviewedVersion === request.expectedVersion;
  const checkReviewable = (): void => {
    if (request.expectedVersion !== draft.version) throw new StaleDraftVersion();
    if (draft.status !== 'pending-review' || !draft.result) {
      throw new Conflict('DRAFT_NOT_REVIEWABLE', 'Only a draft waiting for review can be approved or rejected', {
        status: draft.status,
      });
    }
  };
  if (!maybeRepeat) checkReviewable();

  // The reviewer's own words may name the patient: tokenized in the draft's scope before anything is compared or kept.
  const typed = [request.editedText, request.reason].filter((text): text is string => text !== undefined);
  // A token the draft does not already hold (pasted from another document of the patient) would come back restored
  // for every reader of the draft, including roles that may not re-identify: refused, as the AI gateway does.
  const ownTokens = new Set(findTokens(draft.result?.text ?? '').map((found) => found.token));
  if (typed.some((text) => findTokens(text).some((found) => !ownTokens.has(found.token)))) {
    throw new Forbidden(
      'FOREIGN_TOKENS',
      'The edit holds vault tokens that are not in this draft; type the text itself, which is de-identified',
    );
  }
  const tokenized =
    typed.length === 0
      ? []
      : (
          await deidentify(
            { items: typed.map((text) => ({ text })), patientScope: draft.prepared.patientScope },
            {
              detector: ports.detector,
              vault: ports.vault,
              ids: ports.ids,
              beforeVaultWrite: () => ports.audit.allowed({ resource, purpose: draft.purpose }),
            },
          )
        ).items.map((item) => item.text);
  const editedText = request.editedText !== undefined ? tokenized[0] : undefined;
  const reason = request.reason !== undefined ? tokenized.at(-1) : undefined;

  if (maybeRepeat && (request.decision === 'reject' || previous?.approvedText === (editedText ?? draft.result?.text))) {
    if (!ports.audit.hasRecorded) await ports.audit.allowed({ resource, purpose: draft.purpose });
    // The first call may have stored the decision and then failed to publish it.
    if (owesEvent(draft)) await publishDraftEvent(draft, ports);
    return outcomeOf(draft, true);
  }
  checkReviewable();
  if (!draft.result) throw new Error('A reviewable draft has no result');

  const now = ports.clock.now();
  const draftText = draft.result.text;
  const approvedText = request.decision === 'approve' ? (editedText ?? draftText) : undefined;
  const edited = approvedText !== undefined && approvedText !== draftText;
  const reviewed: DraftRecord = {
    ...draft,
    status: transition(draft.status, request.decision === 'approve' ? 'approved' : 'rejected'),
    version: draft.version + 1,
    updatedAt: now.toISOString(),
    review: {
      decision: request.decision,
      reviewerId: caller.userId,
      reviewerRoles: through,
      reviewedAt: now.toISOString(),
      reviewedVersion: draft.version,
      ...(reason !== undefined ? { reason } : {}),
      ...(approvedText !== undefined
        ? {
            approvedText,
            diff: createTwoFilesPatch('draft', 'approved', draftText, approvedText, undefined, undefined, {
              context: 2,
            }),
          }
        : {}),
      edited,
    },
  };

  if (!ports.audit.hasRecorded) await ports.audit.allowed({ resource, purpose: draft.purpose });
  await ports.drafts.replace(reviewed, draft.version);
  await publishDraftEvent(reviewed, ports);
  recordMetric(request.decision === 'approve' ? 'DraftsApproved' : 'DraftsRejected', 1);
  recordMetric('DraftReviewLatency', Math.max(0, now.getTime() - Date.parse(draft.result.readyAt)));
  log.info('draft reviewed', { draftId: draft.draftId, useCase: draft.useCase, decision: request.decision, edited });
  return outcomeOf(reviewed, false);
}
