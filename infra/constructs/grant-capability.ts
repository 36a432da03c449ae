/** Realizes a topology capability as least-privilege grants and the environment the composition root reads for it. */
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { ENV } from '../../shared/runtime/environment-names.ts';
import type { Capability } from '../topology/types.ts';
import type { HardenedFunction } from './hardened-function.ts';

/** The resources and settings capabilities are granted on. */
export interface CapabilityTargets {
  readonly eventBus: events.IEventBus;
  /** Envelope key of the token vault (GenerateDataKey/Decrypt under an encryption context). */
  readonly vaultKey: kms.IKey;
  /** HMAC key that derives deterministic vault tokens. */
  readonly tokenMacKey: kms.IKey;
  readonly vaultRetentionDays: number;
}

/**
 * One entry per capability; the mapped type makes a capability added to the topology a compile error until it is
 * granted here. The environment variable names are the ones shared/runtime/aws-ports.ts reads.
 */
const CAPABILITY_GRANTS: { readonly [C in Capability]: (fn: HardenedFunction, targets: CapabilityTargets) => void } = {
  'events:publish': (fn, { eventBus }) => {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PublishEvents',
        actions: ['events:PutEvents'],
        resources: [eventBus.eventBusArn],
      }),
    );
    fn.addEnvironment(ENV.eventBusName, eventBus.eventBusName);
  },
  'phi:detect': (fn) => {
    fn.addUnscopablePolicy('PhiDetectPolicy', {
      description: 'Comprehend Medical PHI detection for one function',
      statements: [
        new iam.PolicyStatement({ sid: 'DetectPhi', actions: ['comprehendmedical:DetectPHI'], resources: ['*'] }),
      ],
      reason:
        'Comprehend Medical DetectPHI is a stateless API with no resource type, so IAM cannot scope it below "*"; ' +
        'the policy holds that one action and no other.',
    });
  },
  'vault:crypto': (fn, { vaultKey, tokenMacKey, vaultRetentionDays }) => {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'VaultEnvelopeKeys',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [vaultKey.keyArn],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'VaultTokenMac', actions: ['kms:GenerateMac'], resources: [tokenMacKey.keyArn] }),
    );
    fn.addEnvironment(ENV.vaultKeyId, vaultKey.keyArn);
    fn.addEnvironment(ENV.tokenMacKeyId, tokenMacKey.keyArn);
    fn.addEnvironment(ENV.vaultRetentionDays, String(vaultRetentionDays));
  },
};

export function grantCapability(fn: HardenedFunction, capability: Capability, targets: CapabilityTargets): void {
  CAPABILITY_GRANTS[capability](fn, targets);
}
