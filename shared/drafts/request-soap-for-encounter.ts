/**
 * When an encounter ends, requests its SOAP note draft on behalf of the clinician who held it: the decrypted final
 * transcript segments become the `soap-note` input, each citable as `segment/<segmentId>`. The request goes through
 * the same path as `POST /v1/drafts` (role, panel, policy, de-identification, tokenized storage, review).
 */

import type { z } from 'zod';
import { RequestAudit } from '../audit/request-audit.ts';
import { DomainError } from '../errors/domain-errors.ts';
import type { Caller } from '../identity/caller.ts';
import { log } from '../observability/telemetry.ts';
import type { AuditSink } from '../ports/audit-sink.ts';
import type { EncounterStore } from '../ports/encounter-store.ts';
import type { EnvelopeKeys } from '../ports/envelope-keys.ts';
import type { EncounterEnded } from '../transcription/encounter-requests.ts';
import { readEncounter } from '../transcription/read-encounter.ts';
import { type DraftAccepted, type RequestDraftPorts, requestDraft } from './request-draft.ts';
import { transcriptFits } from './use-cases/soap-note.ts';

export interface SoapForEncounterPorts extends Omit<RequestDraftPorts, 'gateway'> {
  readonly gateway: Omit<RequestDraftPorts['gateway'], 'audit'>;
  readonly encounters: EncounterStore;
  readonly encounterKeys: EnvelopeKeys;
  readonly auditSink: AuditSink;
}

export type SoapForEncounterOutcome =
  | ({ readonly outcome: 'requested' } & DraftAccepted)
  /** Nothing to draft from, or a refusal that retrying cannot change (policy, role, panel): audited, not retried. */
  | { readonly outcome: 'skipped'; readonly reason: string };

/** The key that makes a redelivered `Encounter.Ended` find the draft its first delivery requested. */
export const encounterDraftKey = (encounterId: string) => `encounter-${encounterId}`;

export async function requestSoapForEncounter(
  ended: z.output<typeof EncounterEnded.detail>,
  eventId: string,
  ports: SoapForEncounterPorts,
): Promise<SoapForEncounterOutcome> {
  if (ended.finalSegmentCount === 0) return { outcome: 'skipped', reason: 'NO_TRANSCRIPT' };
  const caller: Caller = {
    userId: ended.clinicianId,
    username: ended.clinicianId,
    roles: ended.clinicianRoles,
    clientId: undefined,
    sourceIp: undefined,
  };
  const audit = new RequestAudit(ports.auditSink, ports.gateway.clock, {
    action: 'draft.request',
    caller,
    correlationId: eventId,
  });
  try {
    const encounter = await readEncounter(ended.encounterId, caller, {
      store: ports.encounters,
      keys: ports.encounterKeys,
      panels: ports.gateway.panels,
      audit: audit.forAction('encounter.read'),
    });
    if (encounter.segments.length === 0) return { outcome: 'skipped', reason: 'NO_TRANSCRIPT' };
    // Longer than the AI gateway takes in one request (about ten hours of speech): refused by name, not as a
    // validation failure, so the audit trail says why this visit has no draft.
    if (!transcriptFits(encounter.segments)) {
      await audit.denied('TRANSCRIPT_TOO_LONG');
      log.info('soap note not requested for an ended encounter', { code: 'TRANSCRIPT_TOO_LONG' });
      return { outcome: 'skipped', reason: 'TRANSCRIPT_TOO_LONG' };
    }
    const accepted = await requestDraft(
      {
        useCase: 'soap-note',
        purpose: 'treatment',
        patientScope: encounter.patientScope,
        idempotencyKey: encounterDraftKey(ended.encounterId),
        input: {
          transcript: {
            segments: encounter.segments.map((segment) => ({
              segmentId: segment.segmentId,
              ...(segment.speaker ? { speaker: segment.speaker } : {}),
              startMs: segment.startMs,
              endMs: segment.endMs,
              text: segment.text,
            })),
          },
        },
      },
      { caller, correlationId: eventId },
      { ...ports, gateway: { ...ports.gateway, audit } },
    );
    return { outcome: 'requested', ...accepted };
  } catch (error) {
    // A 4xx refusal (no attestation, model not approved, off the panel) will not change on retry: record it and
    // stop, so the event does not end in a dead-letter queue; faults (5xx) are thrown for EventBridge to retry.
    if (!(error instanceof DomainError) || error.status >= 500) throw error;
    if (!audit.hasRecorded) await audit.denied(error.code);
    log.info('soap note not requested for an ended encounter', { code: error.code });
    return { outcome: 'skipped', reason: error.code };
  }
}
