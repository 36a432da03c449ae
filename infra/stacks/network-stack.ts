/** Stateful: the isolated VPC, its flow logs, and the endpoints through which functions reach AWS APIs. */
import { Annotations, Aspects, Aws, Fn, type IAspect, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct, IConstruct } from 'constructs';
import type { DeploymentConfig } from '../config.ts';
import { type InterfaceEndpointSpec, IsolatedNetwork } from '../constructs/isolated-network.ts';
import { statefulRemovalPolicy } from './stateful-removal-policy.ts';

/**
 * Every AWS API the functions call, now or in the issues that follow (Bedrock, Comprehend Medical, Transcribe).
 * DynamoDB and S3 are reached through gateway endpoints instead. Each endpoint admits this account's principals on
 * this account's resources; `accountlessCalls` lists, per service, the calls that name no account's resource, so
 * that they pass whether or not the service puts `aws:ResourceAccount` in their request context.
 */
export const FUNCTION_API_ENDPOINTS: Readonly<Record<string, InterfaceEndpointSpec>> = {
  EventBridge: { service: ec2.InterfaceVpcEndpointAwsService.EVENTBRIDGE },
  Kms: { service: ec2.InterfaceVpcEndpointAwsService.KMS },
  Logs: { service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS },
  // Metrics and traces land in the caller's own account.
  Monitoring: {
    service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING,
    accountlessCalls: { actions: ['cloudwatch:PutMetricData'] },
  },
  XRay: {
    service: ec2.InterfaceVpcEndpointAwsService.XRAY,
    accountlessCalls: {
      actions: [
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
        'xray:GetSamplingRules',
        'xray:GetSamplingTargets',
      ],
    },
  },
  Sqs: { service: ec2.InterfaceVpcEndpointAwsService.SQS },
  Sns: { service: ec2.InterfaceVpcEndpointAwsService.SNS },
  Sts: { service: ec2.InterfaceVpcEndpointAwsService.STS },
  // Foundation models are AWS-owned (cross-region inference profiles route to them in other regions). The system
  // inference profiles are AWS-defined too, though their ARNs name this account: listed by that ARN, so another
  // account's profile never matches. Guardrails fall under the account statement.
  BedrockRuntime: {
    service: ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME,
    accountlessCalls: {
      actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      resources: [
        `arn:${Aws.PARTITION}:bedrock:*::foundation-model/*`,
        `arn:${Aws.PARTITION}:bedrock:*:${Aws.ACCOUNT_ID}:inference-profile/*`,
      ],
    },
  },
  // The synchronous calls only: the text goes in and the result comes back; the batch jobs, which write results to
  // an S3 bucket, stay behind the account statement.
  ComprehendMedical: {
    service: ec2.InterfaceVpcEndpointAwsService.COMPREHEND_MEDICAL,
    accountlessCalls: { actions: ['comprehendmedical:DetectPHI', 'comprehendmedical:InferICD10CM'] },
  },
  // The transcript streams back to the caller; nothing is stored by the service.
  TranscribeStreaming: {
    service: ec2.InterfaceVpcEndpointAwsService.TRANSCRIBE_STREAMING,
    accountlessCalls: { actions: ['transcribe:StartMedicalStreamTranscription'] },
  },
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
    if (props.config.apiEndpointType === 'PRIVATE') {
      // PRIVATE is realized here (the execute-api endpoint); the socket API it cannot cover is built in another
      // stack, so it is flagged wherever it is.
      Aspects.of(scope).add(new PublicWebSocketApiWarning());
    }
  }

  /**
   * An environment-agnostic stack sees only two AZs by default; `maxAzs` of the config decides instead, resolved
   * at deploy time from the region's list (the region must have that many).
   */
  override get availabilityZones(): string[] {
    return Array.from({ length: this.azCount }, (_, index) => Fn.select(index, Fn.getAzs()));
  }
}

/** Warns at synthesis about every WebSocket API: `apiEndpointType: PRIVATE` makes the REST APIs private only. */
class PublicWebSocketApiWarning implements IAspect {
  visit(node: IConstruct): void {
    if (node instanceof apigwv2.CfnApi && node.protocolType === 'WEBSOCKET') {
      Annotations.of(node).addWarningV2(
        'clinical-ai-gateway:public-websocket-api',
        'apiEndpointType is PRIVATE, but this WebSocket API cannot be private (API Gateway offers private endpoints ' +
          'for REST APIs only): it stays public, reachable from the internet behind its $connect authorizer and ' +
          'stage throttling, without WAF (which WebSocket APIs do not support). See docs/deploy.md.',
      );
    }
  }
}
