/** The AI use cases the practice can approve models for, and which roles may start each one. */
import type { Role } from '../identity/roles.ts';
import type { UseCase } from '../policy/use-cases.ts';

export type { UseCase };

export const USE_CASE_ROLES = {
  'soap-note': ['physician', 'nurse'],
  'record-summary': ['physician', 'nurse', 'medical-assistant'],
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
