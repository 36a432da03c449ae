/**
 * Which roles may perform which action: one declarative table that the HTTP edge enforces and `docs/roles.md`
 * is generated from. Minimum necessary: a role gets an action only when its daily work needs it.
 */
import type { Role } from './roles.ts';

const CLINICAL: readonly Role[] = ['physician', 'nurse', 'medical-assistant'];
const STAFF: readonly Role[] = [...CLINICAL, 'billing', 'front-desk', 'privacy-officer', 'admin'];

export const PERMISSIONS = {
  'system.health': { roles: 'public', why: 'Liveness for load balancers and operators; reveals no data.' },
  'phi.scan': { roles: STAFF, why: 'The "pause test" any staff member runs before pasting text anywhere.' },
  'phi.deidentify': { roles: STAFF, why: 'Removes identifiers; the output holds tokens, not PHI.' },
  'phi.reidentify': {
    roles: [...CLINICAL, 'privacy-officer'],
    why: 'Restores PHI into model output: only the care team and the privacy officer need it.',
  },
  'audit.read': {
    roles: ['privacy-officer'],
    why: 'The audit trail names patients and staff: only the privacy officer reviews it; nobody can change it.',
  },
  'panel.read': { roles: ['admin'], why: 'Admins keep physician panels current.' },
  'panel.write': { roles: ['admin'], why: 'Admins keep physician panels current; every change is audited.' },
} as const satisfies Record<string, { roles: readonly Role[] | 'public'; why: string }>;

export type Action = keyof typeof PERMISSIONS;

export function isPermitted(action: Action, roles: readonly Role[]): boolean {
  const allowed = PERMISSIONS[action].roles;
  if (allowed === 'public') return true;
  return roles.some((role) => (allowed as readonly Role[]).includes(role));
}
