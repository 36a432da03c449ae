/** The AI use cases the practice can approve models for, and which roles may start each one. */
import type { Role } from '../identity/roles.ts';
import type { UseCase } from '../policy/use-cases.ts';

export type { UseCase };

/**
 * Who may start each use case. Starting one never widens what a role sees: the AI gateway still applies the
 * role's minimum-necessary categories (`CATEGORY_ACCESS`) to every source, so the same bundle summarised by a nurse
 * and by billing yields different drafts.
 * - soap-note: the clinicians who document encounters.
 * - record-summary: clinicians preparing a visit, the medical assistant rooming the patient, and billing, who
 *   summarise diagnoses, procedures and claims before coding or a payer call (no medications or labs reach them).
 * - prior-auth-letter, appeal-letter: the physician who signs, and billing staff who prepare most payer paperwork.
 * - referral-summary: the referring clinicians.
 * - patient-instructions: any patient-facing role; the template holds no patient data.
 * - coding-review: billing (certified coders) and physicians checking their own documentation.
 * - knowledge-answer: every staff role; the practice's documents are PHI-free.
 */
export const USE_CASE_ROLES = {
  'soap-note': ['physician', 'nurse'],
  'record-summary': ['physician', 'nurse', 'medical-assistant', 'billing'],
  'prior-auth-letter': ['physician', 'billing'],
  'appeal-letter': ['physician', 'billing'],
  'referral-summary': ['physician', 'nurse'],
  'patient-instructions': ['physician', 'nurse', 'medical-assistant', 'front-desk'],
  'coding-review': ['physician', 'billing'],
  'knowledge-answer': ['physician', 'nurse', 'medical-assistant', 'billing', 'front-desk'],
} as const satisfies Record<UseCase, readonly Role[]>;

export function mayStartUseCase(useCase: UseCase, roles: readonly Role[]): boolean {
  return roles.some((role) => (USE_CASE_ROLES[useCase] as readonly Role[]).includes(role));
}
