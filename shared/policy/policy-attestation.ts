/**
 * Use cases of the AI-use policy: the admin sets the current version; staff attest to it; only an attestation to
 * the current version counts, so publishing a new version asks everyone to attest again.
 */
import { Conflict, NotFound, ValidationFailed } from '../errors/domain-errors.ts';
import type { Clock } from '../ports/clock.ts';
import type { PolicyStore } from '../ports/policy-store.ts';
import type { Attestation, PolicyVersion, PolicyVersionInput } from './policy-version.ts';

export interface PolicyAttestationPorts {
  readonly store: PolicyStore;
  readonly clock: Clock;
}

export interface AttestOptions {
  /**
   * Years an attestation is kept before TTL may delete it. HIPAA keeps policy documentation six years from its
   * creation (45 CFR 164.316(b)(2)(i)); an attestation is such documentation. Default 6.
   */
  readonly retentionYears?: number;
}

export const DEFAULT_ATTESTATION_RETENTION_YEARS = 6;

/**
 * Makes `input.version` the current policy version. Setting the current version again with the same effective
 * date changes nothing (a safe retry); reusing any other label that has a history entry is refused with 409
 * POLICY_VERSION_EXISTS, since attestations to it would count again. The store writes the history entry before it
 * moves the pointer, so a publish that fails or loses a race half-way spends its label without making it current.
 */
export async function setPolicyVersion(
  input: PolicyVersionInput,
  setBy: string,
  ports: PolicyAttestationPorts,
): Promise<PolicyVersion> {
  const current = await ports.store.getCurrentPolicyVersion();
  if (current && !(await ports.store.getPolicyVersion(current.version))) {
    // Stores written before the entry preceded the pointer may hold a current version without its entry: record it
    // now, before the pointer moves on, so that its label stays spent.
    if (!(await ports.store.setCurrentPolicyVersion(current, current.version))) throw policyChanged();
  }
  if (current?.version === input.version && current.effectiveOn === input.effectiveOn) return current;
  if (current?.version === input.version || (await ports.store.getPolicyVersion(input.version))) {
    throw new Conflict('POLICY_VERSION_EXISTS', 'This policy version was already published; use a new version');
  }
  const next: PolicyVersion = { ...input, setBy, setAt: ports.clock.now().toISOString() };
  if (!(await ports.store.setCurrentPolicyVersion(next, current?.version))) throw policyChanged();
  return next;
}

export async function getCurrentPolicyVersion(ports: Pick<PolicyAttestationPorts, 'store'>): Promise<PolicyVersion> {
  const current = await ports.store.getCurrentPolicyVersion();
  if (!current) throw new NotFound('POLICY_VERSION_NOT_SET', 'No AI-use policy version has been published');
  return current;
}

/** Every version ever published, oldest first. */
export async function listPolicyVersions(ports: Pick<PolicyAttestationPorts, 'store'>): Promise<PolicyVersion[]> {
  return ports.store.listPolicyVersions();
}

/**
 * Records that `userId` has read and accepts `policyVersion`, which must be the current version (400
 * POLICY_VERSION_MISMATCH otherwise). Attesting twice keeps the first attestation.
 */
export async function attest(
  userId: string,
  policyVersion: string,
  ports: PolicyAttestationPorts,
  options: AttestOptions = {},
): Promise<Attestation> {
  const current = await ports.store.getCurrentPolicyVersion();
  if (current?.version !== policyVersion) {
    throw new ValidationFailed(
      'POLICY_VERSION_MISMATCH',
      'Attestations are only accepted for the current policy version',
    );
  }
  const attestedAt = ports.clock.now();
  const expiry = new Date(attestedAt);
  expiry.setUTCFullYear(expiry.getUTCFullYear() + (options.retentionYears ?? DEFAULT_ATTESTATION_RETENTION_YEARS));
  return ports.store.putAttestation({
    userId,
    policyVersion,
    attestedAt: attestedAt.toISOString(),
    expiresAt: Math.floor(expiry.getTime() / 1000),
  });
}

/** True when the user attested to the current policy version; false when none is published (fail closed). */
export async function hasCurrentAttestation(
  userId: string,
  ports: Pick<PolicyAttestationPorts, 'store'>,
): Promise<boolean> {
  const current = await ports.store.getCurrentPolicyVersion();
  if (!current) return false;
  return (await ports.store.getAttestation(userId, current.version)) !== undefined;
}

/** Who attested to a version (by user id), for the privacy officer's follow-up. */
export async function listAttestations(
  policyVersion: string,
  ports: Pick<PolicyAttestationPorts, 'store'>,
): Promise<Attestation[]> {
  return ports.store.listAttestations(policyVersion);
}

const policyChanged = () =>
  new Conflict(
    'VERSION_CONFLICT',
    'The policy version changed meanwhile; reload it and publish again under a new version label',
  );
