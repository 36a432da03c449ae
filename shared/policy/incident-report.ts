/**
 * A staff report of an AI-related privacy or safety incident (HIPAA security incident procedures,
 * 45 CFR 164.308(a)(6)). The description and resolution are free text that may hold PHI: they are stored only in
 * the policy table (encrypted with the app CMK) and are never logged, put in an event or written to the audit trail.
 */
import { z } from 'zod';
import { defineEvent } from '../events/event-definition.ts';
import { CalendarDay, Instant, RecordId, StaffUserId } from './policy-fields.ts';

export const INCIDENT_KINDS = [
  'phi-in-unapproved-tool',
  'improper-disclosure',
  'model-output-concern',
  'other',
] as const;
export const IncidentKind = z.enum(INCIDENT_KINDS);
export type IncidentKind = z.infer<typeof IncidentKind>;

export const INCIDENT_STATUSES = ['open', 'investigating', 'closed'] as const;
export const IncidentStatus = z.enum(INCIDENT_STATUSES);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

/** The only moves an incident can make; `closed` is final (a reopened concern is a new report). */
export const INCIDENT_TRANSITIONS: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> = {
  open: ['investigating'],
  investigating: ['closed'],
  closed: [],
};

export const MAX_INCIDENT_TEXT = 10_000;
const IncidentText = z.string().min(1).max(MAX_INCIDENT_TEXT);

/**
 * Chosen by the reporter per report (the drafts' format); a retried POST with the same key finds the incident the
 * first attempt stored instead of filing it twice.
 */
export const IncidentIdempotencyKey = z.string().regex(/^[A-Za-z0-9._:-]{8,128}$/);

export const IncidentReportInput = z
  .object({
    kind: IncidentKind,
    occurredOn: CalendarDay,
    description: IncidentText,
    idempotencyKey: IncidentIdempotencyKey.optional(),
  })
  .strict();
export type IncidentReportInput = z.infer<typeof IncidentReportInput>;

/** Moves an incident on; `resolution` is required to close it and refused otherwise. */
export const IncidentTransitionInput = z
  .object({ to: z.enum(['investigating', 'closed']), resolution: IncidentText.optional() })
  .strict();
export type IncidentTransitionInput = z.infer<typeof IncidentTransitionInput>;

export const IncidentStatusChange = z.object({ status: IncidentStatus, at: Instant, by: StaffUserId }).strict();
export type IncidentStatusChange = z.infer<typeof IncidentStatusChange>;

export const IncidentReport = z
  .object({
    id: RecordId,
    kind: IncidentKind,
    occurredOn: CalendarDay,
    description: IncidentText,
    reportedBy: StaffUserId,
    reportedAt: Instant,
    status: IncidentStatus,
    resolution: IncidentText.optional(),
    /** Every status the incident has had, oldest first, starting with `open` at `reportedAt`. */
    history: z.array(IncidentStatusChange).min(1),
    /** Present while `IncidentReported` has not been accepted by the bus: the privacy officer is still owed a notice. */
    notificationOwed: z.literal(true).optional(),
  })
  .strict();
export type IncidentReport = z.infer<typeof IncidentReport>;

/** Published when an incident is reported, for the privacy officer's notification. Ids only, never the text. */
export const IncidentReported = defineEvent({
  capability: 'policy',
  detailType: 'Incident.Reported',
  version: 1,
  detail: z.object({ incidentId: RecordId, kind: IncidentKind, reportedAt: Instant }).strict(),
});
