/**
 * Minimum necessary (45 CFR 164.502(b)): which data categories each role may see, and the physician panel rule.
 * Filtering by category happens before any text reaches de-identification or a model.
 */
import { Forbidden } from '../errors/domain-errors.ts';
import type { PanelDirectory } from '../ports/panel-directory.ts';
import type { Caller } from './caller.ts';
import { type Action, PERMISSIONS } from './permissions.ts';
import type { Role } from './roles.ts';

export const DATA_CATEGORIES = [
  /** The practice's own PHI-free documents (protocols, handouts): not patient data; every staff role may use it. */
  'reference',
  'demographics',
  'clinical',
  'medications',
  'labs',
  'billing',
  'notes',
  /** Psychotherapy notes (45 CFR 164.501): never by role alone; the policy requires consent on file. */
  'psychotherapy',
  /** Substance use disorder records under 42 CFR Part 2: never by role alone; consent required. */
  'substance-use',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

/** The specially protected categories no role receives by default. */
export const SPECIALLY_PROTECTED: readonly DataCategory[] = ['psychotherapy', 'substance-use'];

export const CATEGORY_ACCESS = {
  physician: {
    categories: ['reference', 'demographics', 'clinical', 'medications', 'labs', 'billing', 'notes'],
    why: 'Treats the patient: the whole record except specially protected categories, for patients on their panel.',
  },
  nurse: {
    categories: ['reference', 'demographics', 'clinical', 'medications', 'labs', 'notes'],
    why: 'Care delivery and triage; no billing detail.',
  },
  'medical-assistant': {
    categories: ['reference', 'demographics', 'clinical', 'medications', 'labs'],
    why: 'Rooming, vitals, refills and results follow-up; no clinician notes or billing.',
  },
  billing: {
    categories: ['reference', 'demographics', 'clinical', 'billing', 'notes'],
    why: 'Claims and coding review need diagnoses, procedures and the documentation behind them.',
  },
  'front-desk': { categories: ['reference', 'demographics', 'billing'], why: 'Scheduling, registration and payments.' },
  'privacy-officer': { categories: ['reference'], why: 'Reviews the audit trail; sees no clinical data by role.' },
  admin: { categories: ['reference'], why: 'Manages users, panels and policy; sees no clinical data by role.' },
} as const satisfies Record<Role, { categories: readonly DataCategory[]; why: string }>;

/** Roles whose access to a patient's PHI is limited to the patients on their panel. */
export const PANEL_RESTRICTED: readonly Role[] = ['physician'];

/** Roles that may receive specially protected records at all, and then only where consent covers the use. */
export const CONSENT_ELIGIBLE: readonly Role[] = ['physician', 'nurse'];

/** Categories the roles may see; specially protected ones pass only for consent-eligible roles (the policy decides). */
export function categoriesFor(
  roles: readonly Role[],
  options: { withConsentEligible?: boolean } = {},
): Set<DataCategory> {
  const categories = new Set<DataCategory>(roles.flatMap((role) => CATEGORY_ACCESS[role].categories));
  if (options.withConsentEligible && roles.some((role) => CONSENT_ELIGIBLE.includes(role))) {
    for (const category of SPECIALLY_PROTECTED) categories.add(category);
  }
  return categories;
}

/**
 * The caller's roles through which they may perform `action` for this patient. Off the caller's panel, the
 * panel-restricted roles drop out: a physician who also works the billing desk acts for an off-panel patient as
 * billing only, never with the physician's categories, use cases or consent eligibility. Refuses with 403
 * NOT_ON_PANEL when no role is left.
 */
export async function rolesForPatient(
  caller: Caller,
  action: Action,
  patientScope: string,
  panels: PanelDirectory,
): Promise<Role[]> {
  const allowed = PERMISSIONS[action].roles;
  const through =
    allowed === 'public' ? [...caller.roles] : caller.roles.filter((role) => allowed.includes(role as never));
  const unrestricted = through.filter((role) => !PANEL_RESTRICTED.includes(role));
  if (through.length === 0 || unrestricted.length === through.length) return through;
  if (await panels.isOnPanel(caller.userId, patientScope)) return through;
  if (unrestricted.length > 0) return unrestricted;
  throw new Forbidden('NOT_ON_PANEL', 'This patient is not on your panel');
}

/**
 * Refuses with 403 NOT_ON_PANEL when every role through which the caller may perform `action` is
 * panel-restricted and the patient is not on the caller's panel.
 */
export async function assertPanelAccess(
  caller: Caller,
  action: Action,
  patientScope: string,
  panels: PanelDirectory,
): Promise<void> {
  await rolesForPatient(caller, action, patientScope, panels);
}
