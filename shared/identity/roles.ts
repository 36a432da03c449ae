/** The practice's staff roles: Cognito groups in AWS, the dev token's role locally. */
import { z } from 'zod';

export const ROLES = [
  'physician',
  'nurse',
  'medical-assistant',
  'billing',
  'front-desk',
  'privacy-officer',
  'admin',
] as const;

export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
