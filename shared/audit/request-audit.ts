/** Audit for one request: the use case records its allowed act with resource details; the edge records the rest. */
import type { Caller } from '../identity/caller.ts';
import type { AuditSink } from '../ports/audit-sink.ts';
import type { Clock } from '../ports/clock.ts';
import type { AuditEntry, AuditOutcome, Purpose } from './audit-entry.ts';

export type AuditResource = AuditEntry['resource'];

export interface AuditDetails {
  readonly resource?: AuditResource;
  readonly purpose?: Purpose;
  readonly modelCall?: AuditEntry['modelCall'];
}

export class RequestAudit {
  private recorded = false;
  /** What the allowed record named, so a later failure of the same act names the same resource. */
  private allowedDetails: AuditDetails | undefined;
  /** What the request is about, known before any check, so a refusal names the patient it concerned. */
  private subject: AuditDetails = {};

  constructor(
    private readonly sink: AuditSink,
    private readonly clock: Clock,
    private readonly context: { readonly action: string; readonly caller: Caller; readonly correlationId: string },
  ) {}

  /** The same request's audit for a second, distinct act (e.g. the model call inside an AI request). */
  forAction(action: string): RequestAudit {
    return new RequestAudit(this.sink, this.clock, { ...this.context, action });
  }

  /** Whether any entry has been recorded for this request. */
  get hasRecorded(): boolean {
    return this.recorded;
  }

  /**
   * Names what the request is about (the patient scope, draft or encounter it names, its stated purpose) before any
   * check runs: a privacy officer reviewing one patient's trail then also sees refused attempts on that patient.
   */
  about(details: AuditDetails): void {
    this.subject = details;
  }

  /** Records the decision to act, before the act: if this rejects, the act must not happen. Default: the subject. */
  async allowed(details: AuditDetails = this.subject): Promise<void> {
    await this.write('allowed', undefined, details);
    this.allowedDetails = details;
  }

  denied(reason: string, details: AuditDetails = this.subject): Promise<void> {
    return this.write('denied', reason, details);
  }

  /** Without details, repeats what the allowed record named (or, before one, the subject). */
  failed(reason: string, details: AuditDetails = this.allowedDetails ?? this.subject): Promise<void> {
    return this.write('failed', reason, details);
  }

  private async write(outcome: AuditOutcome, reason: string | undefined, details: AuditDetails): Promise<void> {
    const { caller } = this.context;
    await this.sink.record({
      action: this.context.action,
      outcome,
      ...(reason ? { reason } : {}),
      actor: {
        userId: caller.userId,
        roles: [...caller.roles],
        ...(caller.clientId ? { clientId: caller.clientId } : {}),
        ...(caller.sourceIp ? { sourceIp: caller.sourceIp } : {}),
      },
      resource: details.resource ?? {},
      ...(details.purpose ? { purpose: details.purpose } : {}),
      ...(details.modelCall ? { modelCall: details.modelCall } : {}),
      correlationId: this.context.correlationId,
      at: this.clock.now().toISOString(),
    });
    this.recorded = true;
  }
}
