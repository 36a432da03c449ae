/**
 * Port: the policy registry's storage: approved models, policy versions, attestations, incidents and consents.
 * Writes are conditional single-item writes; a lost condition resolves `false` and the use case decides the error.
 * Reads used by the policy decision are strongly consistent, so a retirement or revocation applies at once.
 */
import type { ApprovedModel } from '../policy/approved-model.ts';
import type { Consent } from '../policy/consent.ts';
import type { IncidentReport, IncidentStatus } from '../policy/incident-report.ts';
import type { Attestation, PolicyVersion } from '../policy/policy-version.ts';

export interface ConsentRevocation {
  readonly revokedOn: string;
  readonly revokedBy: string;
  readonly revokedAt: string;
}

export interface PolicyStore {
  readonly name: string;

  getModel(id: string): Promise<ApprovedModel | undefined>;
  /** Every model, active and retired, sorted by id. */
  listModels(): Promise<ApprovedModel[]>;
  /**
   * Writes `model` if the stored version is `expectedVersion`, or, when `expectedVersion` is undefined, if no model
   * with this id exists. Resolves false when that condition fails. The version it replaces is kept first (see
   * `listModelVersions`), so no version of the inventory entry is ever lost.
   */
  putModel(model: ApprovedModel, expectedVersion: number | undefined): Promise<boolean>;
  /** The versions of the model that `putModel` kept when replacing them, in any order; `getModel` reads the current. */
  listModelVersions(id: string): Promise<ApprovedModel[]>;

  getCurrentPolicyVersion(): Promise<PolicyVersion | undefined>;
  /**
   * Records `next` in the version history unless its label has an entry, then makes it current if the current one is
   * still `expectedCurrent` (undefined: none set yet). Resolves false when the label had an entry or the current
   * version had changed. The entry comes first and is never removed, so a label is current at most once.
   */
  setCurrentPolicyVersion(next: PolicyVersion, expectedCurrent: string | undefined): Promise<boolean>;
  getPolicyVersion(version: string): Promise<PolicyVersion | undefined>;
  /** Every version ever made current, oldest first. */
  listPolicyVersions(): Promise<PolicyVersion[]>;

  /** Records the attestation unless the user already attested to that version; resolves the stored one. */
  putAttestation(attestation: Attestation): Promise<Attestation>;
  getAttestation(userId: string, policyVersion: string): Promise<Attestation | undefined>;
  /** The attestations to one version, by user id. Eventually consistent (an index). */
  listAttestations(policyVersion: string): Promise<Attestation[]>;

  /** Stores a new incident; rejects if the id is taken. */
  createIncident(incident: IncidentReport): Promise<void>;
  getIncident(id: string): Promise<IncidentReport | undefined>;
  /** Replaces the incident if its stored status is still `expectedStatus`; resolves false otherwise. */
  updateIncident(incident: IncidentReport, expectedStatus: IncidentStatus): Promise<boolean>;
  /** Incidents with this status, oldest report first. Eventually consistent (an index). */
  listIncidents(status: IncidentStatus): Promise<IncidentReport[]>;

  /** Stores a new consent; rejects if the id is taken in this patient scope. */
  createConsent(consent: Consent): Promise<void>;
  getConsent(patientScope: string, consentId: string): Promise<Consent | undefined>;
  /** Marks the consent revoked if it exists and is not revoked yet; resolves false otherwise. */
  revokeConsent(patientScope: string, consentId: string, revocation: ConsentRevocation): Promise<boolean>;
  /** Every consent recorded for the patient scope, revoked ones included, oldest grant first. */
  listConsents(patientScope: string): Promise<Consent[]>;
}
