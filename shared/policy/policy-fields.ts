/** Field shapes the policy records share (identifiers, calendar days, instants) and the day arithmetic on them. */
import { z } from 'zod';
import { DATA_CATEGORIES } from '../identity/minimum-necessary.ts';

/** A staff member's id as the identity provider issues it (Cognito `sub` or the dev token's user). */
export const StaffUserId = z.string().regex(/^[A-Za-z0-9._@:+-]{1,128}$/);

/** A generated record id (incidents, consents). */
export const RecordId = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/);

/** A calendar day, `YYYY-MM-DD`. Policy days are UTC days: the decision compares them with the UTC date of `now`. */
export const CalendarDay = z.iso.date();

export const Instant = z.iso.datetime();

export const DataCategory = z.enum(DATA_CATEGORIES);

const DAY_MS = 86_400_000;

/** The UTC calendar day of an instant. */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00.000Z`) + days * DAY_MS));
}

/** The elements once each, in first-seen order. */
export function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
