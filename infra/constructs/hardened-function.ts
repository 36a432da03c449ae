/** The one way to create a Lambda function here: every function gets the same hardened baseline. */
import path from 'node:path';
import { type Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/observability/telemetry.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { FunctionPlacement } from './isolated-network.ts';
import { ManagedPolicyRole } from './managed-policy-role.ts';
import { nagReference } from './nag-reference.ts';

export interface HardenedFunctionKeys {
  /** Encrypts the environment variables. */
  readonly environment: kms.IKey;
  readonly logs: kms.IKey;
  readonly deadLetters: kms.IKey;
}

export interface UnscopablePolicyOptions {
  readonly description: string;
  readonly statements: readonly iam.PolicyStatement[];
  /** Why these actions cannot be scoped; recorded as the cdk-nag acknowledgement. */
  readonly reason: string;
}

/**
 * Outside the VPC, with Lambda's own internet access: only for a function that handles no PHI (the topology checks
 * the declaration); the reason becomes the cdk-nag acknowledgement.
 */
export interface OutsideVpc {
  readonly outsideVpc: { readonly reason: string };
}

export interface HardenedFunctionProps {
  /** Absolute path of the handler module; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  /** Repository root: lock file, tsconfig and the base for module resolution. */
  readonly projectRoot: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly reservedConcurrency: number;
  /** The isolated subnets (every function that may touch PHI), or outside the VPC. */
  readonly placement: FunctionPlacement | OutsideVpc;
  readonly keys: HardenedFunctionKeys;
  readonly alarmTopic: sns.ITopic;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * A NodejsFunction with the baseline cdk-nag's Serverless pack describes and HIPAA needs: arm64 on the latest Node
 * runtime, inside the isolated subnets (outside them only for a function the topology declares PHI-free), X-Ray
 * tracing, JSON logs to an encrypted group with retention, an encrypted environment, a dead-letter queue with an
 * alarm, reserved concurrency, explicit timeout and memory, and a role that starts with nothing but its own log
 * group, its DLQ and (in the VPC) the network interfaces Lambda needs there, in its own subnets.
 */
export class HardenedFunction extends Construct implements iam.IGrantable {
  readonly function: nodejs.NodejsFunction;
  readonly role: ManagedPolicyRole;
  readonly logGroup: logs.LogGroup;
  readonly deadLetters: DeadLetterQueue;
  readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: HardenedFunctionProps) {
    super(scope, id);
    this.role = new ManagedPolicyRole(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${this.node.path}`,
    });
    this.grantPrincipal = this.role;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      encryptionKey: props.keys.logs,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      encryptionKey: props.keys.deadLetters,
      alarmTopic: props.alarmTopic,
      source: `Asynchronous invocations of ${this.node.path}`,
    });

    const inVpc = 'vpc' in props.placement ? props.placement : undefined;
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize,
      reservedConcurrentExecutions: props.reservedConcurrency,
      role: this.role,
      ...(inVpc ? { vpc: inVpc.vpc, vpcSubnets: inVpc.subnets, securityGroups: [inVpc.securityGroup] } : {}),
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      // Lambda decrypts through a KMS grant it creates for the execution role; the role needs no key permission.
      environmentEncryption: props.keys.environment,
      deadLetterQueue: this.deadLetters.queue,
      retryAttempts: 2,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        // Responses and events can carry PHI: never copy them into traces or logs.
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        POWERTOOLS_LOGGER_LOG_EVENT: 'false',
      },
      projectRoot: props.projectRoot,
      depsLockFilePath: path.join(props.projectRoot, 'package-lock.json'),
      bundling: {
        // The local esbuild: synth needs no Docker and produces the same bundle on every machine.
        forceDockerBundling: false,
        format: nodejs.OutputFormat.ESM,
        mainFields: ['module', 'main'],
        // Some CommonJS dependencies call require(); ESM output needs it defined.
        banner: "import { createRequire } from 'module';const require = createRequire(import.meta.url);",
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // The Node.js 24 runtime ships AWS SDK v3; bundling it again would only add cold-start weight.
        externalModules: ['@aws-sdk/*'],
        tsconfig: path.join(props.projectRoot, 'tsconfig.json'),
      },
    });

    if ('outsideVpc' in props.placement) {
      for (const id of ['HIPAA.Security-LambdaInsideVPC', 'NIST.800.53.R5-LambdaInsideVPC']) {
        Validations.of(this.function).acknowledge({ id, reason: props.placement.outsideVpc.reason });
      }
    }

    // X-Ray and the two EC2 Describe actions support no resource-level permissions; they alone take "*".
    const runtimePolicy = this.addUnscopablePolicy('RuntimePolicy', {
      description: inVpc ? 'Tracing and VPC networking lookups for one function' : 'Tracing for one function',
      statements: [
        new iam.PolicyStatement({
          sid: 'PublishTraces',
          actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
          resources: ['*'],
        }),
        ...(inVpc
          ? [
              new iam.PolicyStatement({
                sid: 'DescribeVpcNetworking',
                actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
                resources: ['*'],
              }),
            ]
          : []),
      ],
      reason: inVpc
        ? 'X-Ray PutTraceSegments/PutTelemetryRecords and EC2 DescribeNetworkInterfaces/DescribeSubnets support no ' +
          'resource-level permissions; nothing else is in this policy (the network-interface writes are scoped in ' +
          'a policy of their own).'
        : 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions; nothing else is in ' +
          'this policy.',
    });
    // Lambda checks the network-interface permissions when it creates the function.
    this.function.node.addDependency(runtimePolicy);
    if (inVpc) this.function.node.addDependency(this.addNetworkInterfacePolicy(inVpc));
    // Active tracing set on the resource rather than through `tracing`, which would add the X-Ray statement to the
    // grants policy instead of the runtime policy above.
    (this.function.node.defaultChild as lambda.CfnFunction).tracingConfig = { mode: lambda.Tracing.ACTIVE };

    this.logGroup.grantWrite(this.role);
    // SQS encrypts the failed events sent to the dead-letter queue with its key, and only through SQS.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EncryptDeadLetters',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.keys.deadLetters.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }

  /**
   * The rest of what AWSLambdaVPCAccessExecutionRole grants, owned here so the role carries no AWS managed policy and
   * scoped below its "*": Lambda's network interfaces are created only in the function's subnets with its security
   * group, and only network interfaces of this account and region are created, deleted or re-addressed.
   */
  private addNetworkInterfacePolicy(placement: FunctionPlacement): iam.ManagedPolicy {
    const { partition, region, account } = Stack.of(this);
    const ec2Arn = (resource: string) => `arn:${partition}:ec2:${region}:${account}:${resource}`;
    // Lambda names its Hyperplane interfaces only when it creates them, so no narrower ARN exists beforehand.
    const networkInterfaces = ec2Arn('network-interface/*');
    const policy = new iam.ManagedPolicy(this, 'NetworkInterfacePolicy', {
      description: 'VPC network interfaces of one function',
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'CreateVpcNetworkInterfaces',
          actions: ['ec2:CreateNetworkInterface'],
          resources: [
            ...placement.vpc.selectSubnets(placement.subnets).subnetIds.map((id) => ec2Arn(`subnet/${id}`)),
            ec2Arn(`security-group/${placement.securityGroup.securityGroupId}`),
            networkInterfaces,
          ],
        }),
        new iam.PolicyStatement({
          sid: 'ManageVpcNetworkInterfaces',
          actions: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
          resources: [networkInterfaces],
        }),
      ],
    });
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagReference(this, networkInterfaces)}]`,
      reason:
        'Lambda creates and deletes its Hyperplane network interfaces itself, and their ids exist only once ' +
        'created, so these actions cover the network interfaces of this account and region; creation is further ' +
        "limited to the function's own subnets and security group.",
    });
    return policy;
  }

  /**
   * Attaches actions that AWS does not let you scope to a resource (`Resource: "*"`) as a policy of their own, so the
   * cdk-nag acknowledgement covers exactly these statements and any later grant using "*" is still flagged.
   */
  addUnscopablePolicy(id: string, options: UnscopablePolicyOptions): iam.ManagedPolicy {
    const policy = new iam.ManagedPolicy(this, id, {
      description: options.description,
      roles: [this.role],
      statements: [...options.statements],
    });
    Validations.of(policy).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: options.reason });
    return policy;
  }

  addEnvironment(key: string, value: string): void {
    this.function.addEnvironment(key, value);
  }

  addToRolePolicy(statement: iam.PolicyStatement): void {
    this.role.addToPrincipalPolicy(statement);
  }
}
