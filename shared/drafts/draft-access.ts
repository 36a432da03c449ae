/**
 * Who may see and decide a draft: the use case's reviewer roles, and the requester for their own draft; a
 * physician only for patients on their panel (45 CFR 164.502(b)). Anyone else is told the draft does not exist.
 */
import { USE_CASE_ROLES } from '../ai/use-cases.ts';
import { NotFound } from '../errors/domain-errors.ts';
import type { Caller } from '../identity/caller.ts';
import { categoriesFor, PANEL_RESTRICTED } from '../identity/minimum-necessary.ts';
import type { Role } from '../identity/roles.ts';
import type { PanelDirectory } from '../ports/panel-directory.ts';
import type { DraftRecord } from './draft.ts';
import { DRAFT_USE_CASES, type DraftUseCase } from './use-cases/draft-use-cases.ts';

export type DraftAccess = 'reviewer' | 'requester';

/** The same answer for a missing draft and one the caller may not see, so ids cannot be probed. */
export class DraftNotFound extends NotFound {
  constructor() {
    super('DRAFT_NOT_FOUND', 'No such draft, or it is not yours to see');
  }
}

export function reviewerRolesOf(caller: Pick<Caller, 'roles'>, useCase: DraftUseCase): Role[] {
  return caller.roles.filter((role) => DRAFT_USE_CASES[useCase].reviewerRoles.includes(role));
}

/** The use cases whose drafts the caller's roles may review. */
export function reviewableUseCases(caller: Pick<Caller, 'roles'>): DraftUseCase[] {
  return (Object.keys(DRAFT_USE_CASES) as DraftUseCase[]).filter(
    (useCase) => reviewerRolesOf(caller, useCase).length > 0,
  );
}

/**
 * Whether the roles the caller acts through leave the panel rule to apply: only when every one of them is
 * panel-restricted, and only for drafts about a patient.
 */
export function needsPanel(through: readonly Role[], draft: Pick<DraftRecord, 'requestedScope'>): boolean {
  return draft.requestedScope !== undefined && through.every((role) => PANEL_RESTRICTED.includes(role));
}

/**
 * Whether the caller's roles may see every category the draft was generated from (minimum necessary): a nurse
 * does not read a physician's summary built partly from billing records. Consent-gated categories count as seen
 * by the care-team roles, since the policy already required the consent before generation.
 */
export function coversCategories(caller: Pick<Caller, 'roles'>, draft: Pick<DraftRecord, 'prepared'>): boolean {
  const visible = categoriesFor(caller.roles, { withConsentEligible: true });
  return draft.prepared.sources.every((source) => visible.has(source.category));
}

/**
 * The caller's roles that count for a draft: off the caller's panel (a draft about a patient), the panel-restricted
 * roles drop out, so a physician who also works in billing reads a billing colleague's draft as billing only.
 */
export function rolesForDraft(
  caller: Pick<Caller, 'roles'>,
  draft: Pick<DraftRecord, 'requestedScope'>,
  onPanel: boolean,
): Role[] {
  if (draft.requestedScope === undefined || onPanel) return [...caller.roles];
  return caller.roles.filter((role) => !PANEL_RESTRICTED.includes(role));
}

/** Whether the panel decides anything for this caller and draft (so a lookup is worth making). */
export function panelMatters(caller: Pick<Caller, 'roles'>, draft: Pick<DraftRecord, 'requestedScope'>): boolean {
  return draft.requestedScope !== undefined && caller.roles.some((role) => PANEL_RESTRICTED.includes(role));
}

/** The caller's access to this draft and the roles it counts through, or undefined. */
export async function accessTo(
  draft: DraftRecord,
  caller: Caller,
  panels: PanelDirectory,
): Promise<{ access: DraftAccess; roles: Role[] } | undefined> {
  const onPanel = panelMatters(caller, draft) && (await panels.isOnPanel(caller.userId, draft.requestedScope ?? ''));
  const acting = { ...caller, roles: rolesForDraft(caller, draft, onPanel || !panelMatters(caller, draft)) };
  const access = accessThrough(draft, acting);
  return access === undefined ? undefined : { access, roles: acting.roles };
}

function accessThrough(draft: DraftRecord, caller: Caller): DraftAccess | undefined {
  const asReviewer = reviewerRolesOf(caller, draft.useCase);
  const isRequester = draft.requestedBy.userId === caller.userId;
  const asRequester = isRequester
    ? caller.roles.filter((role) => (USE_CASE_ROLES[draft.useCase] as readonly Role[]).includes(role))
    : [];
  const through = [...new Set([...asReviewer, ...asRequester])];
  if (through.length === 0) return undefined;
  return asReviewer.length > 0 ? 'reviewer' : 'requester';
}

/** Loads a draft the caller may see, or throws DraftNotFound. */
export async function loadVisibleDraft(
  draftId: string,
  caller: Caller,
  ports: {
    readonly drafts: { get(draftId: string): Promise<DraftRecord | undefined> };
    readonly panels: PanelDirectory;
  },
): Promise<{ draft: DraftRecord; access: DraftAccess; roles: Role[] }> {
  const draft = await ports.drafts.get(draftId);
  const granted = draft ? await accessTo(draft, caller, ports.panels) : undefined;
  if (!draft || !granted) throw new DraftNotFound();
  return { draft, ...granted };
}
