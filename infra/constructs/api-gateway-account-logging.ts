/**
 * API Gateway's account-level CloudWatch Logs role, set once per account and region. Every REST and WebSocket stage
 * with access or execution logging needs it before it can be created, so it lives in a stack that deploys before
 * any API (the Security stack) and each stage depends on it: a fresh `cdk deploy --all` never races it.
 */
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export class ApiGatewayAccountLogging extends Construct {
  readonly role: iam.Role;
  readonly account: apigw.CfnAccount;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.role = new iam.Role(this, 'CloudWatchRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: "API Gateway's account-level role for writing access and execution logs",
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs'),
      ],
    });
    // Kept on stack deletion: other APIs in the account may log through the same account setting.
    this.role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        "API Gateway's account-level logging role must carry AmazonAPIGatewayPushToCloudWatchLogs, the policy AWS " +
        'documents and maintains for it; the role trusts only apigateway.amazonaws.com.',
    });
    this.account = new apigw.CfnAccount(this, 'Account', { cloudWatchRoleArn: this.role.roleArn });
    this.account.node.addDependency(this.role);
  }
}
