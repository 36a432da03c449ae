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
  'ai.invoke': {
    roles: ['physician', 'nurse', 'medical-assistant', 'billing', 'front-desk'],
    why: 'Staff who draft with AI; each use case narrows this further, and the AI policy must allow it.',
  },
  'policy.read': { roles: STAFF, why: 'Everyone may see which AI tools are approved and the current policy.' },
  'policy.manage': {
    roles: ['admin', 'privacy-officer'],
    why: 'The AI-use policy, approved models and BAAs are the privacy officer and admin to maintain.',
  },
  'attestation.create': { roles: STAFF, why: 'Every staff member attests to the current AI-use policy before use.' },
  'incident.report': { roles: STAFF, why: 'Anyone who suspects a disclosure must be able to report it.' },
  'incident.manage': {
    roles: ['privacy-officer', 'admin'],
    why: 'Incident descriptions may hold PHI: only the privacy officer and admin read and work them.',
  },
  'consent.read': {
    roles: ['physician', 'nurse', 'privacy-officer', 'admin'],
    why: 'The care team and the privacy officer check consent before psychotherapy or Part 2 records are used.',
  },
  'consent.manage': {
    roles: ['physician', 'nurse', 'privacy-officer', 'admin'],
    why: 'Consent is recorded by the care team or the privacy officer from the signed form.',
  },
  'knowledge.read': { roles: STAFF, why: "The practice's own PHI-free documents, for every staff member." },
  'knowledge.ask': {
    roles: ['physician', 'nurse', 'medical-assistant', 'billing', 'front-desk'],
    why: 'Staff questions answered from the documents through the AI gateway.',
  },
  'knowledge.manage': { roles: ['admin'], why: 'Admins publish, replace and withdraw practice documents.' },
  'faq.ask': {
    roles: 'public',
    why: 'Patients ask administrative questions; the route refuses PHI and clinical questions.',
  },
  'draft.request': {
    roles: ['physician', 'nurse', 'medical-assistant', 'billing', 'front-desk'],
    why: 'Staff who draft with AI (notes, summaries, letters, coding reviews); each use case narrows this further.',
  },
  'draft.read': {
    roles: ['physician', 'nurse', 'medical-assistant', 'billing', 'front-desk'],
    why: "Requesters read their own drafts, reviewers their queue; the text only for the use case's reviewers.",
  },
  'draft.review': {
    roles: ['physician', 'nurse', 'billing'],
    why: 'A clinician approves or rejects clinical drafts, a certified coder (billing) coding reviews; nothing is sent on.',
  },
  'encounter.stream': {
    roles: CLINICAL,
    why:
      'Clinicians record the visits they take part in; only the one who opened an encounter streams or ends it, and a ' +
      'physician only for patients on their panel.',
  },
  'encounter.read': {
    roles: CLINICAL,
    why: 'The care team reads the visit transcript (decrypted, audited); physicians only for patients on their panel.',
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
