/**
 * Stateful: the customer-managed KMS keys every other stack encrypts with, and API Gateway's account-level logging
 * role, which every API stage needs before it is created (every stack deploys after this one).
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../config.ts';
import { ApiGatewayAccountLogging } from '../constructs/api-gateway-account-logging.ts';
import { EncryptionKeys } from '../constructs/encryption-keys.ts';
import { statefulRemovalPolicy } from './stateful-removal-policy.ts';

export interface SecurityStackProps extends StackProps {
  readonly config: DeploymentConfig;
}

export class SecurityStack extends Stack {
  readonly keys: EncryptionKeys;
  /** Stages with access logging depend on this, so the account setting exists before them. */
  readonly apiGatewayLogging: ApiGatewayAccountLogging;

  constructor(scope: Construct, id: string, props: SecurityStackProps) {
    super(scope, id, props);
    this.keys = new EncryptionKeys(this, 'Keys', {
      practiceName: props.config.practiceName,
      removalPolicy: statefulRemovalPolicy(props.config),
    });
    this.apiGatewayLogging = new ApiGatewayAccountLogging(this, 'ApiGatewayLogging');
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
