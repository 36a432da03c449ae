/** Stateful: the customer-managed KMS keys every other stack encrypts with. */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../config.ts';
import { EncryptionKeys } from '../constructs/encryption-keys.ts';
import { statefulRemovalPolicy } from './stateful-removal-policy.ts';

export interface SecurityStackProps extends StackProps {
  readonly config: DeploymentConfig;
}

export class SecurityStack extends Stack {
  readonly keys: EncryptionKeys;

  constructor(scope: Construct, id: string, props: SecurityStackProps) {
    super(scope, id, props);
    this.keys = new EncryptionKeys(this, 'Keys', {
      practiceName: props.config.practiceName,
      removalPolicy: statefulRemovalPolicy(props.config),
    });
    for (const [name, key] of Object.entries({
      AppKeyArn: this.keys.app,
      VaultKeyArn: this.keys.vault,
      AuditKeyArn: this.keys.audit,
      LogsKeyArn: this.keys.logs,
      MessagingKeyArn: this.keys.messaging,
    })) {
      new CfnOutput(this, name, { value: key.keyArn });
    }
  }
}
