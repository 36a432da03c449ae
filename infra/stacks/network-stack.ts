/** Stateful: the isolated VPC, its flow logs, and the endpoints through which functions reach AWS APIs. */
import { Fn, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../config.ts';
import { IsolatedNetwork } from '../constructs/isolated-network.ts';
import { statefulRemovalPolicy } from './stateful-removal-policy.ts';

/**
 * Every AWS API the functions call, now or in the issues that follow (Bedrock, Comprehend Medical, Transcribe).
 * DynamoDB and S3 are reached through gateway endpoints instead.
 */
export const FUNCTION_API_ENDPOINTS: Readonly<Record<string, ec2.InterfaceVpcEndpointAwsService>> = {
  EventBridge: ec2.InterfaceVpcEndpointAwsService.EVENTBRIDGE,
  Kms: ec2.InterfaceVpcEndpointAwsService.KMS,
  Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  Monitoring: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
  XRay: ec2.InterfaceVpcEndpointAwsService.XRAY,
  Sqs: ec2.InterfaceVpcEndpointAwsService.SQS,
  Sns: ec2.InterfaceVpcEndpointAwsService.SNS,
  Sts: ec2.InterfaceVpcEndpointAwsService.STS,
  BedrockRuntime: ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME,
  ComprehendMedical: ec2.InterfaceVpcEndpointAwsService.COMPREHEND_MEDICAL,
  TranscribeStreaming: ec2.InterfaceVpcEndpointAwsService.TRANSCRIBE_STREAMING,
};

export interface NetworkStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly logsKey: kms.IKey;
}

export class NetworkStack extends Stack {
  readonly network: IsolatedNetwork;
  private readonly azCount: number;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    this.azCount = props.config.maxAzs;
    this.network = new IsolatedNetwork(this, 'Network', {
      cidr: props.config.vpcCidr,
      maxAzs: props.config.maxAzs,
      interfaceEndpoints: FUNCTION_API_ENDPOINTS,
      logsKey: props.logsKey,
      logRetention: props.config.logRetentionDays,
      removalPolicy: statefulRemovalPolicy(props.config),
      privateApiClientCidrs:
        props.config.apiEndpointType === 'PRIVATE' ? props.config.privateApiClientCidrs : undefined,
    });
  }

  /**
   * An environment-agnostic stack sees only two AZs by default; `maxAzs` of the config decides instead, resolved
   * at deploy time from the region's list (the region must have that many).
   */
  override get availabilityZones(): string[] {
    return Array.from({ length: this.azCount }, (_, index) => Fn.select(index, Fn.getAzs()));
  }
}
