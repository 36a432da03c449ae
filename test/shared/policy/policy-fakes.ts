/** A typed in-memory PolicyStore with the same conditional-write semantics as the DynamoDB one, and record builders. */
import type { ApprovedModel } from '../../../shared/policy/approved-model.ts';
import type { Consent } from '../../../shared/policy/consent.ts';
import type { IncidentReport, IncidentStatus } from '../../../shared/policy/incident-report.ts';
import type { Attestation, PolicyVersion } from '../../../shared/policy/policy-version.ts';
import type { Clock } from '../../../shared/ports/clock.ts';
import type { Ids } from '../../../shared/ports/ids.ts';
import type { ConsentRevocation, PolicyStore } from '../../../shared/ports/policy-store.ts';

export class InMemoryPolicyStore implements PolicyStore {
  readonly name = 'InMemoryPolicyStore';
  readonly models = new Map<string, ApprovedModel>();
  /** Replaced model versions by `<id>|<version>`. */
  readonly modelVersions = new Map<string, ApprovedModel>();
  readonly versions = new Map<string, PolicyVersion>();
  readonly attestations = new Map<string, Attestation>();
  readonly incidents = new Map<string, IncidentReport>();
  readonly consents = new Map<string, Consent>();
  current: PolicyVersion | undefined;

  async getModel(id: string) {
    return this.models.get(id);
  }
  async listModels() {
    return [...this.models.values()].sort((a, b) => a.id.localeCompare(b.id));
  }
  async putModel(model: ApprovedModel, expectedVersion: number | undefined) {
    const replaced = this.models.get(model.id);
    if (replaced?.version !== expectedVersion) return false;
    if (replaced) this.modelVersions.set(`${replaced.id}|${replaced.version}`, replaced);
    this.models.set(model.id, model);
    return true;
  }
  async listModelVersions(id: string) {
    return [...this.modelVersions.values()].filter((model) => model.id === id);
  }
  async getCurrentPolicyVersion() {
    return this.current;
  }
  async setCurrentPolicyVersion(next: PolicyVersion, expectedCurrent: string | undefined) {
    if (this.versions.has(next.version)) return false;
    this.versions.set(next.version, next);
    if (this.current?.version !== expectedCurrent) return false;
    this.current = next;
    return true;
  }
  async getPolicyVersion(version: string) {
    return this.versions.get(version);
  }
  async listPolicyVersions() {
    return [...this.versions.values()].sort((a, b) => a.setAt.localeCompare(b.setAt));
  }
  async putAttestation(attestation: Attestation) {
    const key = `${attestation.userId}|${attestation.policyVersion}`;
    const stored = this.attestations.get(key);
    if (stored) return stored;
    this.attestations.set(key, attestation);
    return attestation;
  }
  async getAttestation(userId: string, policyVersion: string) {
    return this.attestations.get(`${userId}|${policyVersion}`);
  }
  async listAttestations(policyVersion: string) {
    return [...this.attestations.values()]
      .filter((attestation) => attestation.policyVersion === policyVersion)
      .sort((a, b) => a.userId.localeCompare(b.userId));
  }
  async createIncident(incident: IncidentReport) {
    if (this.incidents.has(incident.id)) throw new Error('The incident id is already in use');
    this.incidents.set(incident.id, incident);
  }
  async getIncident(id: string) {
    return this.incidents.get(id);
  }
  async updateIncident(incident: IncidentReport, expectedStatus: IncidentStatus) {
    if (this.incidents.get(incident.id)?.status !== expectedStatus) return false;
    this.incidents.set(incident.id, incident);
    return true;
  }
  async listIncidents(status: IncidentStatus) {
    return [...this.incidents.values()]
      .filter((incident) => incident.status === status)
      .sort((a, b) => a.reportedAt.localeCompare(b.reportedAt));
  }
  async createConsent(consent: Consent) {
    const key = `${consent.patientScope}|${consent.id}`;
    if (this.consents.has(key)) throw new Error('The consent id is already in use');
    this.consents.set(key, consent);
  }
  async getConsent(patientScope: string, consentId: string) {
    return this.consents.get(`${patientScope}|${consentId}`);
  }
  async revokeConsent(patientScope: string, consentId: string, revocation: ConsentRevocation) {
    const key = `${patientScope}|${consentId}`;
    const stored = this.consents.get(key);
    if (!stored || stored.revokedOn !== undefined) return false;
    this.consents.set(key, { ...stored, ...revocation });
    return true;
  }
  async listConsents(patientScope: string) {
    return [...this.consents.values()]
      .filter((consent) => consent.patientScope === patientScope)
      .sort((a, b) => a.grantedOn.localeCompare(b.grantedOn) || a.recordedAt.localeCompare(b.recordedAt));
  }
}

export const fixedClock = (iso: string): Clock & { set(next: string): void } => {
  let now = new Date(iso);
  return {
    now: () => now,
    set: (next: string) => {
      now = new Date(next);
    },
  };
};

export const sequentialIds = (prefix = 'id'): Ids => {
  let next = 0;
  return { next: () => `${prefix}-${++next}` };
};

/** An active Bedrock model with a BAA, approved for a SOAP note and a record summary on clinical data. */
export function approvedModel(overrides: Partial<ApprovedModel> = {}): ApprovedModel {
  return {
    id: 'claude-bedrock',
    vendor: 'Anthropic via AWS Bedrock',
    modelId: 'anthropic.claude-3-5-sonnet-20240620-v1:0',
    client: 'bedrock',
    baa: { inPlace: true, executedOn: '2025-03-01', version: 'AWS BAA 2024' },
    permittedUseCases: ['soap-note', 'record-summary'],
    permittedDataCategories: ['demographics', 'clinical', 'medications', 'labs', 'notes'],
    vetting: {
      signsBaa: true,
      trainsOnCustomerData: false,
      trainingOptOut: true,
      retainsInputsDays: 0,
      humanReviewOfData: false,
      subprocessorsCovered: true,
      soc2OrEquivalentSeen: true,
    },
    reviewer: 'privacy-officer-1',
    nextReviewOn: '2026-12-31',
    status: 'active',
    version: 1,
    updatedBy: 'admin-1',
    updatedAt: '2026-01-05T10:00:00.000Z',
    ...overrides,
  };
}

export function policyVersion(version = '2026-01', overrides: Partial<PolicyVersion> = {}): PolicyVersion {
  return { version, effectiveOn: '2026-01-01', setBy: 'admin-1', setAt: '2026-01-01T09:00:00.000Z', ...overrides };
}

export function consent(overrides: Partial<Consent> = {}): Consent {
  return {
    id: 'consent-1',
    patientScope: 'scope-0001',
    category: 'psychotherapy',
    useCases: ['record-summary'],
    grantedOn: '2026-01-10',
    recordedBy: 'nurse-1',
    recordedAt: '2026-01-10T15:00:00.000Z',
    ...overrides,
  };
}
