/** A VPC with isolated subnets only, reaching AWS APIs through endpoints, with every flow logged. */
import type { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ManagedPolicyRole } from './managed-policy-role.ts';

export interface IsolatedNetworkProps {
  readonly cidr: string;
  readonly maxAzs: number;
  /** AWS APIs the functions call, by a readable name; each becomes an interface endpoint with private DNS. */
  readonly interfaceEndpoints: Readonly<Record<string, ec2.InterfaceVpcEndpointAwsService>>;
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
      gatewayEndpoints: {
        DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
      },
    });

    this.addFlowLog(props);

    this.securityGroup = new ec2.SecurityGroup(this, 'FunctionSecurityGroup', {
      vpc: this.vpc,
      description: 'Lambda functions: HTTPS out to AWS endpoints only',
      allowAllOutbound: false,
    });
    // The gateway endpoints (DynamoDB, S3) are reached through prefix lists that cannot be looked up in an
    // environment-agnostic synth; with no NAT or IGW route, 443 "anywhere" still ends at the VPC's endpoints.
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to VPC and gateway endpoints');

    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'Interface endpoints: HTTPS from the functions only',
      allowAllOutbound: false,
    });
    this.endpointSecurityGroup.addIngressRule(this.securityGroup, ec2.Port.tcp(443), 'HTTPS from the functions');

    for (const [name, service] of Object.entries(props.interfaceEndpoints)) {
      this.vpc.addInterfaceEndpoint(name, {
        service,
        privateDnsEnabled: true,
        subnets: this.subnets,
        securityGroups: [this.endpointSecurityGroup],
        // `open: true` would add an ingress rule from the VPC CIDR; access is granted to the function group only.
        open: false,
      });
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

  private addExecuteApiEndpoint(clientCidrs: readonly string[]): ec2.InterfaceVpcEndpoint {
    const securityGroup = new ec2.SecurityGroup(this, 'ApiEndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'Private REST API endpoint: HTTPS from the practice networks only',
      allowAllOutbound: false,
    });
    for (const cidr of clientCidrs) {
      securityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS from a practice network');
    }
    return this.vpc.addInterfaceEndpoint('ExecuteApi', {
      service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
      privateDnsEnabled: true,
      subnets: this.subnets,
      securityGroups: [securityGroup],
      open: false,
    });
  }
}
