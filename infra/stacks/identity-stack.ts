/** Stateful: the staff directory (Cognito user pool, role groups, sign-in client). */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ROLES } from '../../shared/identity/roles.ts';
import type { DeploymentConfig } from '../config.ts';
import { StaffDirectory } from '../constructs/staff-directory.ts';
import { statefulRemovalPolicy } from './stateful-removal-policy.ts';

export interface IdentityStackProps extends StackProps {
  readonly config: DeploymentConfig;
}

export class IdentityStack extends Stack {
  readonly directory: StaffDirectory;

  constructor(scope: Construct, id: string, props: IdentityStackProps) {
    super(scope, id, props);
    this.directory = new StaffDirectory(this, 'Staff', {
      practiceName: props.config.practiceName,
      roles: ROLES,
      removalPolicy: statefulRemovalPolicy(props.config),
      deletionProtection: props.config.environment === 'prod',
    });
    new CfnOutput(this, 'UserPoolId', { value: this.directory.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.directory.client.userPoolClientId });
  }
}
