/**
 * Stateless: the REST API realizing every topology route on the area stacks' functions (and, when configured, the
 * IAM-authorized integration API), its firewall, and the alarm on audit-control changes.
 */
import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct, IDependable } from 'constructs';
import { runbookReference } from '../../shared/operations/runbooks.ts';
import { ENV } from '../../shared/runtime/environment-names.ts';
import type { DeploymentConfig } from '../config.ts';
import type { AlarmTopic } from '../constructs/alarm-topic.ts';
import { ApiFirewall } from '../constructs/api-firewall.ts';
import { ClinicalApi } from '../constructs/clinical-api.ts';
import type { KeyRing } from '../constructs/encryption-keys.ts';
import type { HardenedFunction } from '../constructs/hardened-function.ts';
import type { Topology } from '../topology/types.ts';
import { statefulRemovalPolicy } from './stateful-removal-policy.ts';

export { FUNCTION_DEFAULTS } from './functions-stack.ts';

export interface ServiceStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly topology: Topology;
  /** Every topology function, by name, from the area stacks. */
  readonly functions: Readonly<Record<string, HardenedFunction>>;
  readonly keys: KeyRing;
  readonly privateApiEndpoint: ec2.IInterfaceVpcEndpoint | undefined;
  readonly userPool: cognito.IUserPool;
  readonly alarmTopic: AlarmTopic;
  readonly privacyTopic: AlarmTopic;
  /** Changes to the audit controls (trail, keys, archive lock) seen by CloudTrail; any one raises an alarm. */
  readonly auditControlChanges: cloudwatch.IMetric;
  /** API Gateway's account logging role (Security stack); every stage depends on it. */
  readonly apiGatewayLogging: IDependable;
}

export class ServiceStack extends Stack {
  readonly api: ClinicalApi;
  /** The IAM-authorized API for server-to-server integrations; only when the config lists any. */
  readonly integrationApi: ClinicalApi | undefined;
  /** The encrypted topic every alarm notifies (it lives in the events stack, beside the bus). */
  readonly alarmTopic: AlarmTopic;
  /** Incident notices for the privacy officer: ids and kinds only, never PHI. */
  readonly privacyTopic: AlarmTopic;
  /** By the topology's function name (the functions live in the area stacks). */
  readonly functions: Readonly<Record<string, HardenedFunction>>;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config, keys } = props;
    // Log groups here hold access records; they follow the stateful policy even though this stack is stateless.
    const removalPolicy = statefulRemovalPolicy(config);
    this.alarmTopic = props.alarmTopic;
    this.privacyTopic = props.privacyTopic;
    this.functions = props.functions;

    new cloudwatch.Alarm(this, 'AuditControlChangeAlarm', {
      metric: props.auditControlChanges,
      alarmDescription:
        'CloudTrail recorded a change to the audit controls: trail stopped or changed, a key disabled or scheduled ' +
        'for deletion, a bucket policy or Object Lock setting changed, or an archived object deleted. ' +
        runbookReference('audit-control-change'),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new actions.SnsAction(this.alarmTopic.topic));

    const apiProps = {
      stageName: config.environment,
      endpointType: config.apiEndpointType,
      privateEndpoint: props.privateApiEndpoint,
      logsKey: keys.logs,
      logRetention: config.logRetentionDays,
      removalPolicy,
      throttle: config.apiThrottle,
      accountLogging: props.apiGatewayLogging,
    };
    this.api = new ClinicalApi(this, 'Api', {
      ...apiProps,
      description: `${config.practiceName}: clinical AI gateway`,
      authorization: { kind: 'cognito', userPool: props.userPool },
    });
    this.integrationApi =
      config.integrationCallers.length > 0
        ? new ClinicalApi(this, 'IntegrationApi', {
            ...apiProps,
            description: `${config.practiceName}: clinical AI gateway for server-to-server integrations (IAM)`,
            authorization: {
              kind: 'iam',
              principalArns: config.integrationCallers.map((caller) => caller.principalArn),
            },
          })
        : undefined;
    const stages = [this.api, this.integrationApi].flatMap((api) => (api ? [api.stage] : []));
    if (config.apiEndpointType === 'REGIONAL') {
      new ApiFirewall(this, 'Firewall', {
        stages,
        rateLimitPerIp: config.wafRateLimitPerIp,
        logsKey: keys.logs,
        logRetention: config.logRetentionDays,
        removalPolicy,
      });
    } else {
      const reason =
        'The API is PRIVATE: reachable only through the VPC execute-api endpoint from the configured practice ' +
        'networks, so there is no internet-facing stage to put behind WAF.';
      for (const stage of stages) {
        for (const id of [
          'AwsSolutions-APIG3',
          'HIPAA.Security-APIGWAssociatedWithWAF',
          'NIST.800.53.R5-APIGWAssociatedWithWAF',
        ]) {
          Validations.of(stage).acknowledge({ id, reason });
        }
      }
    }

    for (const [name, spec] of Object.entries(props.topology.functions)) {
      const fn = props.functions[name];
      if (!fn) throw new Error(`Function ${name} has no stack`);
      for (const route of spec.routes ?? []) {
        this.api.addRoute(route, fn.function, name);
        if (route.auth === 'user') this.integrationApi?.addRoute(route, fn.function, name);
      }
      if (this.integrationApi && (spec.routes ?? []).some((route) => route.auth === 'user')) {
        fn.function.addEnvironment(ENV.integrationCallers, JSON.stringify(config.integrationCallers));
      }
    }

    new CfnOutput(this, 'ApiUrl', { value: this.api.restApi.url });
    if (this.integrationApi) {
      new CfnOutput(this, 'IntegrationApiUrl', { value: this.integrationApi.restApi.url });
    }
  }
}
