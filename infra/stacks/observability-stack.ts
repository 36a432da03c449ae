/**
 * Stateless: the operators' view of one deployment, the dashboard and the operational alarms, built from the
 * topology, the metric catalog and the cost model. It only reads what the other stacks export (function, queue,
 * table and log group names, the alarm topic), so it can be changed without touching them.
 */
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { liveEstimateCoefficients } from '../../shared/operations/cost-model.ts';
import { deploymentShapeOf } from '../../shared/operations/deployment-shape.ts';
import type { DeploymentConfig } from '../config.ts';
import { bedrockThrottles, OperationalAlarms } from '../constructs/operational-alarms.ts';
import { type DeadLetterSource, OperationsDashboard } from '../constructs/operations-dashboard.ts';
import type { Topology } from '../topology/types.ts';
import { FUNCTION_API_ENDPOINTS } from './network-stack.ts';

export interface ObservabilityStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly topology: Topology;
  /** By topology function name. */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** Every dead-letter queue of the functions, rules and schedules (each already alarms on its depth). */
  readonly deadLetterQueues: readonly DeadLetterSource[];
  /** By topology table name. */
  readonly tables: Readonly<Record<string, dynamodb.ITable>>;
  readonly alarmTopic: sns.ITopic;
  readonly trailLogGroup: logs.ILogGroup;
}

export class ObservabilityStack extends Stack {
  readonly dashboard: OperationsDashboard;
  readonly alarms: OperationalAlarms;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id, props);
    const { config } = props;
    const shape = deploymentShapeOf(props.topology, {
      interfaceEndpoints: Object.keys(FUNCTION_API_ENDPOINTS).length,
      privateApi: config.apiEndpointType === 'PRIVATE',
    });
    const spendCoefficients = liveEstimateCoefficients(shape, config.maxAzs);

    this.alarms = new OperationalAlarms(this, 'Alarms', {
      config,
      topology: props.topology,
      alarmTopic: props.alarmTopic,
      trailLogGroup: props.trailLogGroup,
      spendCoefficients,
    });
    this.dashboard = new OperationsDashboard(this, 'Operations', {
      topology: props.topology,
      functions: props.functions,
      deadLetterQueues: props.deadLetterQueues,
      tables: props.tables,
      spendCoefficients,
      bedrockThrottles: bedrockThrottles(config, Duration.minutes(5)),
    });

    new CfnOutput(this, 'DashboardName', {
      description: 'The CloudWatch dashboard of this deployment',
      value: this.dashboard.dashboard.dashboardName,
    });
  }
}
