/**
 * Reading drafts: one draft with its evidence and, for an authorised reader, its text re-identified (audited as a
 * disclosure before any value leaves); and a reviewer's queue, which never carries text.
 */
import type { RequestAudit } from '../audit/request-audit.ts';
import type { Caller } from '../identity/caller.ts';
import { findTokens } from '../phi/vault-token.ts';
import { type DraftStore, queuePosition } from '../ports/draft-store.ts';
import type { PanelDirectory } from '../ports/panel-directory.ts';
import type { TokenVault } from '../ports/token-vault.ts';
import type { DraftRecord } from './draft.ts';
import {
  coversCategories,
  loadVisibleDraft,
  panelMatters,
  reviewableUseCases,
  reviewerRolesOf,
  rolesForDraft,
} from './draft-access.ts';
import type { DraftStatus } from './draft-status.ts';

export interface DraftSummary {
  readonly draftId: string;
  readonly useCase: DraftRecord['useCase'];
  readonly status: DraftStatus;
  readonly version: number;
  readonly patientScope?: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly updatedAt: string;
  readonly readyAt?: string;
  readonly unsupportedStatements?: number;
  readonly failureReason?: string;
}

export interface DraftView extends DraftSummary {
  readonly purpose: DraftRecord['purpose'];
  readonly expiresAt: string;
  readonly promptVersion: string;
  readonly model?: NonNullable<DraftRecord['result']>['model'];
  /** What the model was given, by id and category; and what was withheld before it saw anything. */
  readonly evidence: {
    readonly sources: readonly { readonly sourceId: string; readonly category: string }[];
    readonly derivedSourceIds: readonly string[];
    readonly withheld: DraftRecord['prepared']['withheld'];
  };
  /** Re-identified for this reader; present once generated. */
  readonly text?: string;
  /** Set instead of the text when the draft draws on record categories the reader's roles may not see. */
  readonly textWithheld?: 'CATEGORIES_BEYOND_ROLE';
  readonly content?: NonNullable<DraftRecord['result']>['content'];
  readonly review?: {
    readonly decision: 'approve' | 'reject';
    readonly reviewerId: string;
    readonly reviewedAt: string;
    readonly edited: boolean;
    readonly reason?: string;
    readonly approvedText?: string;
    readonly diff?: string;
  };
}

export function summaryOf(draft: DraftRecord): DraftSummary {
  return {
    draftId: draft.draftId,
    useCase: draft.useCase,
    status: draft.status,
    version: draft.version,
    ...(draft.requestedScope ? { patientScope: draft.requestedScope } : {}),
    requestedBy: draft.requestedBy.userId,
    requestedAt: draft.requestedAt,
    updatedAt: draft.updatedAt,
    ...(draft.result
      ? { readyAt: draft.result.readyAt, unsupportedStatements: draft.result.content.unsupportedStatements }
      : {}),
    ...(draft.failure ? { failureReason: draft.failure.reason } : {}),
  };
}

/** Every string of the draft a reader sees that can hold tokens, in one place so none is left tokenized. */
function textsOf(draft: DraftRecord): string[] {
  return [
    draft.result?.text ?? '',
    ...(draft.result?.content.sections.flatMap((section) => [
      section.heading,
      ...section.statements.map((statement) => statement.text),
    ]) ?? []),
    draft.review?.reason ?? '',
    draft.review?.approvedText ?? '',
    draft.review?.diff ?? '',
  ];
}

/** Re-identifies with one vault read; `beforeRelease` records the disclosure and, if it rejects, nothing is released. */
async function reidentifier(
  draft: DraftRecord,
  vault: TokenVault,
  beforeRelease: (tokenCount: number) => Promise<void>,
): Promise<(text: string) => string> {
  const tokens = [...new Set(textsOf(draft).flatMap((text) => findTokens(text).map((token) => token.token)))];
  const values =
    tokens.length > 0 ? await vault.resolve(draft.prepared.patientScope, tokens) : new Map<string, string>();
  await beforeRelease(values.size);
  return (text) => {
    let out = '';
    let cursor = 0;
    for (const token of findTokens(text)) {
      out += text.slice(cursor, token.begin) + (values.get(token.token) ?? token.token);
      cursor = token.end;
    }
    return out + text.slice(cursor);
  };
}

export async function readDraft(
  draftId: string,
  caller: Caller,
  ports: {
    readonly drafts: DraftStore;
    readonly panels: PanelDirectory;
    readonly vault: TokenVault;
    readonly audit: RequestAudit;
  },
): Promise<DraftView> {
  const { draft, roles } = await loadVisibleDraft(draftId, caller, ports);
  const resource = { draftId: draft.draftId, patientScope: draft.prepared.patientScope };
  const covered = coversCategories({ roles }, draft);
  const hasText = covered && (draft.result !== undefined || draft.review !== undefined);
  const reveal = hasText
    ? await reidentifier(draft, ports.vault, (tokenCount) =>
        ports.audit.allowed({ resource: { ...resource, tokenCount }, purpose: draft.purpose }),
      )
    : undefined;
  if (!reveal) await ports.audit.allowed({ resource, purpose: draft.purpose });

  const { result, review } = draft;
  return {
    ...summaryOf(draft),
    purpose: draft.purpose,
    expiresAt: new Date(draft.expiresAt * 1000).toISOString(),
    promptVersion: draft.prepared.promptVersion,
    ...(result ? { model: result.model } : {}),
    evidence: {
      sources: draft.prepared.sources.map((source) => ({ sourceId: source.sourceId, category: source.category })),
      derivedSourceIds: result?.extraSourceIds ?? [],
      withheld: draft.prepared.withheld,
    },
    ...(!covered && (result || review) ? { textWithheld: 'CATEGORIES_BEYOND_ROLE' as const } : {}),
    ...(result && reveal
      ? {
          text: reveal(result.text),
          content: {
            sections: result.content.sections.map((section) => ({
              heading: reveal(section.heading),
              statements: section.statements.map((statement) => ({ ...statement, text: reveal(statement.text) })),
            })),
            unsupportedStatements: result.content.unsupportedStatements,
          },
        }
      : {}),
    ...(review && reveal
      ? {
          review: {
            decision: review.decision,
            reviewerId: review.reviewerId,
            reviewedAt: review.reviewedAt,
            edited: review.edited,
            ...(review.reason !== undefined ? { reason: reveal(review.reason) } : {}),
            ...(review.approvedText !== undefined ? { approvedText: reveal(review.approvedText) } : {}),
            ...(review.diff !== undefined ? { diff: reveal(review.diff) } : {}),
          },
        }
      : {}),
  };
}

/** How many store pages one queue request reads at most while looking for drafts the caller may see. */
export const MAX_QUEUE_PAGES = 5;

export interface DraftQueuePage {
  readonly drafts: DraftSummary[];
  /** Present when more drafts may follow: pass it back as `nextToken` for the next page. */
  readonly nextToken?: string;
}

/** The token is the queue position of the last draft looked at (a timestamp and an id, no PHI), base64url. */
export function encodeQueueToken(position: string): string {
  return Buffer.from(position, 'utf8').toString('base64url');
}

export function decodeQueueToken(token: string): string | undefined {
  const position = Buffer.from(token, 'base64url').toString('utf8');
  return /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#draft-[A-Za-z0-9-]{8,80}$/.test(position) ? position : undefined;
}

/**
 * The drafts in `status` of the use cases the caller reviews; a physician sees only patients on their panel. The
 * visibility filter runs after the store read, so the store is paged until `limit` visible drafts are found (or
 * MAX_QUEUE_PAGES were read): otherwise a queue whose oldest drafts belong to colleagues would look empty.
 */
export async function listDraftQueue(
  query: { readonly status: DraftStatus; readonly limit: number; readonly after?: string },
  caller: Caller,
  ports: { readonly drafts: DraftStore; readonly panels: PanelDirectory },
): Promise<DraftQueuePage> {
  const useCases = reviewableUseCases(caller);
  if (useCases.length === 0) return { drafts: [] };
  let panel: Set<string> | undefined;
  const visible: DraftRecord[] = [];
  let after = query.after;
  for (let page = 0; page < MAX_QUEUE_PAGES; page += 1) {
    const drafts = await ports.drafts.listByStatus({
      status: query.status,
      useCases,
      limit: query.limit,
      ...(after !== undefined ? { after } : {}),
    });
    for (const draft of drafts) {
      after = queuePosition(draft);
      // Off the caller's panel only their unrestricted roles count, for reviewing and for what they may read.
      if (panelMatters(caller, draft)) panel ??= new Set(await ports.panels.list(caller.userId));
      const roles = rolesForDraft(
        caller,
        draft,
        !panelMatters(caller, draft) || panel?.has(draft.requestedScope ?? '') === true,
      );
      if (reviewerRolesOf({ roles }, draft.useCase).length === 0) continue;
      // A draft the caller could not read in full is not theirs to decide: it stays in a colleague's queue.
      if (!coversCategories({ roles }, draft)) continue;
      visible.push(draft);
      if (visible.length === query.limit) return { drafts: visible.map(summaryOf), nextToken: encodeQueueToken(after) };
    }
    // A short page is the end of the queue.
    if (drafts.length < query.limit) return { drafts: visible.map(summaryOf) };
  }
  return { drafts: visible.map(summaryOf), ...(after !== undefined ? { nextToken: encodeQueueToken(after) } : {}) };
}
