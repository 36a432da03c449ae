/**
 * A VPC with isolated subnets only, reaching AWS APIs through endpoints whose policies admit only this account's
 * principals acting on this account's resources, with every flow logged.
 */
import { Aws, CfnResource, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ManagedPolicyRole } from './managed-policy-role.ts';

/**
 * Calls an endpoint admits from this account's principals without the resource-account condition: actions that name
 * no resource (the result returns to the caller or lands in the caller's own account) or only AWS-owned ones.
 */
export interface AccountlessCalls {
  readonly actions: readonly string[];
  /** ARN patterns of the AWS-owned resources; omitted when the actions take no resource. */
  readonly resources?: readonly string[];
}

/** An AWS API the functions call, reached through an interface endpoint with private DNS. */
export interface InterfaceEndpointSpec {
  readonly service: ec2.InterfaceVpcEndpointAwsService;
  readonly accountlessCalls?: AccountlessCalls;
}

export interface IsolatedNetworkProps {
  readonly cidr: string;
  readonly maxAzs: number;
  /** AWS APIs the functions call, by a readable name; each becomes an interface endpoint with private DNS. */
  readonly interfaceEndpoints: Readonly<Record<string, InterfaceEndpointSpec>>;
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** When set, an execute-api endpoint for a PRIVATE REST API, reachable on 443 from these networks only. */
  readonly privateApiClientCidrs?: readonly string[];
}

/** What a function needs to run inside the network. */
export interface FunctionPlacement {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  readonly securityGroup: ec2.ISecurityGroup;
}

export class IsolatedNetwork extends Construct implements FunctionPlacement {
  readonly vpc: ec2.Vpc;
  readonly subnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  /** Every function's security group; the only source the endpoints admit. */
  readonly securityGroup: ec2.SecurityGroup;
  readonly endpointSecurityGroup: ec2.SecurityGroup;
  readonly executeApiEndpoint: ec2.InterfaceVpcEndpoint | undefined;

  constructor(scope: Construct, id: string, props: IsolatedNetworkProps) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr),
      maxAzs: props.maxAzs,
      // No NAT and no internet gateway: a function that could reach the internet could exfiltrate PHI.
      natGateways: 0,
      subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      // Set explicitly rather than through the feature flag so tests and `cdk synth` build the same VPC.
      restrictDefaultSecurityGroup: true,
    });
    for (const [name, service] of [
      ['DynamoDb', ec2.GatewayVpcEndpointAwsService.DYNAMODB],
      ['S3', ec2.GatewayVpcEndpointAwsService.S3],
    ] as const) {
      restrictToThisAccount(this.vpc.addGatewayEndpoint(name, { service }));
    }

    this.addFlowLog(props);
    this.encryptDefaultSecurityGroupProviderLogs(props);

    this.securityGroup = new ec2.SecurityGroup(this, 'FunctionSecurityGroup', {
      vpc: this.vpc,
      description: 'Lambda functions: HTTPS out to AWS endpoints only',
      allowAllOutbound: false,
    });
    // The gateway endpoints (DynamoDB, S3) are reached through prefix lists that cannot be looked up in an
    // environment-agnostic synth; with no NAT or IGW route, 443 "anywhere" still ends at the VPC's endpoints, and
    // the endpoint policies (not this rule) keep data from leaving for another account's bucket, queue or key.
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to VPC and gateway endpoints');

    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'Interface endpoints: HTTPS from the functions only',
      allowAllOutbound: false,
    });
    this.endpointSecurityGroup.addIngressRule(this.securityGroup, ec2.Port.tcp(443), 'HTTPS from the functions');

    for (const [name, spec] of Object.entries(props.interfaceEndpoints)) {
      const endpoint = this.vpc.addInterfaceEndpoint(name, {
        service: spec.service,
        privateDnsEnabled: true,
        subnets: this.subnets,
        securityGroups: [this.endpointSecurityGroup],
        // `open: true` would add an ingress rule from the VPC CIDR; access is granted to the function group only.
        open: false,
      });
      restrictToThisAccount(endpoint, spec.accountlessCalls);
    }

    this.executeApiEndpoint =
      props.privateApiClientCidrs && props.privateApiClientCidrs.length > 0
        ? this.addExecuteApiEndpoint(props.privateApiClientCidrs)
        : undefined;
  }

  private addFlowLog(props: IsolatedNetworkProps): void {
    const logGroup = new logs.LogGroup(this, 'FlowLogGroup', {
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    const role = new ManagedPolicyRole(this, 'FlowLogRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.vpc.stack.account } },
      }),
      description: 'Delivers VPC flow logs to their encrypted log group',
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup, role),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
  }

  /**
   * `restrictDefaultSecurityGroup` deploys CDK's stack-wide custom resource provider: a Lambda outside the VPC that
   * revokes the default group's rules at deploy time and sees no data. Left alone, its logs would go to a log group
   * Lambda creates unencrypted and never expiring; this one is the logs key's, on the configured retention.
   */
  private encryptDefaultSecurityGroupProviderLogs(props: IsolatedNetworkProps): void {
    const provider = Stack.of(this).node.tryFindChild(DEFAULT_SECURITY_GROUP_PROVIDER_ID);
    const handler = provider?.node.tryFindChild('Handler');
    if (!(handler instanceof CfnResource) || handler.cfnResourceType !== 'AWS::Lambda::Function') {
      throw new Error(
        `CDK's ${DEFAULT_SECURITY_GROUP_PROVIDER_ID}/Handler was not found; its logs would go unencrypted`,
      );
    }
    const logGroup = new logs.LogGroup(this, 'DefaultSecurityGroupProviderLogs', {
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    handler.addPropertyOverride('LoggingConfig', { LogGroup: logGroup.logGroupName });
  }

  private addExecuteApiEndpoint(clientCidrs: readonly string[]): ec2.InterfaceVpcEndpoint {
    const securityGroup = new ec2.SecurityGroup(this, 'ApiEndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'Private REST API endpoint: HTTPS from the practice networks only',
      allowAllOutbound: false,
    });
    for (const cidr of clientCidrs) {
      securityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS from a practice network');
    }
    const endpoint = this.vpc.addInterfaceEndpoint('ExecuteApi', {
      service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
      privateDnsEnabled: true,
      subnets: this.subnets,
      securityGroups: [securityGroup],
      open: false,
    });
    // Staff browsers present Cognito tokens, not AWS credentials, so the principal cannot be required to be this
    // account's; the endpoint reaches this account's APIs only, never another account's private API.
    endpoint.addToPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeThisAccountsApisOnly',
        principals: [new iam.AnyPrincipal()],
        actions: ['execute-api:Invoke'],
        resources: [`arn:${Aws.PARTITION}:execute-api:${Aws.REGION}:${Aws.ACCOUNT_ID}:*`],
      }),
    );
    return endpoint;
  }
}

/** The construct id under which `restrictDefaultSecurityGroup` puts CDK's custom resource provider in the stack. */
const DEFAULT_SECURITY_GROUP_PROVIDER_ID = 'Custom::VpcRestrictDefaultSGCustomResourceProvider';

/**
 * An endpoint policy replacing the default "anything, by anyone": only this account's principals (never an
 * anonymous request or another account's credentials), acting on this account's resources (never another account's
 * bucket, queue or bus), plus the accountless calls the endpoint's spec lists.
 */
function restrictToThisAccount(
  endpoint: ec2.GatewayVpcEndpoint | ec2.InterfaceVpcEndpoint,
  accountless?: AccountlessCalls,
): void {
  const thisAccountsPrincipals = { 'aws:PrincipalAccount': Aws.ACCOUNT_ID };
  endpoint.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ThisAccountsPrincipalsOnThisAccountsResources',
      principals: [new iam.AnyPrincipal()],
      actions: ['*'],
      resources: ['*'],
      conditions: { StringEquals: { ...thisAccountsPrincipals, 'aws:ResourceAccount': Aws.ACCOUNT_ID } },
    }),
  );
  if (accountless) {
    endpoint.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ThisAccountsPrincipalsOnAccountlessCalls',
        principals: [new iam.AnyPrincipal()],
        actions: [...accountless.actions],
        resources: [...(accountless.resources ?? ['*'])],
        conditions: { StringEquals: thisAccountsPrincipals },
      }),
    );
  }
}
