/** Realizes a function's EventBridge rules and Scheduler schedules, each with retries and its own dead-letter queue. */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { EventPattern } from '../../shared/events/event-definition.ts';
import type { RuleSpec, ScheduleSpec } from '../topology/types.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { ManagedPolicyRole } from './managed-policy-role.ts';
import { pascalCase } from './pascal-case.ts';

export interface FunctionTriggersProps {
  /** The topology's name for the function, used in descriptions. */
  readonly functionName: string;
  readonly target: lambda.IFunction;
  readonly rules: readonly RuleSpec[];
  readonly schedules: readonly ScheduleSpec[];
  readonly eventBus: events.IEventBus;
  readonly deadLetterKey: kms.IKey;
  readonly alarmTopic: sns.ITopic;
}

/** Delivery retries before an event is dead-lettered; consumers are idempotent, so a retry is always safe. */
const DELIVERY = { retryAttempts: 8, maxEventAge: Duration.hours(6) } as const;

export class FunctionTriggers extends Construct {
  readonly rules: readonly events.Rule[];
  readonly schedules: readonly scheduler.CfnSchedule[];

  constructor(scope: Construct, id: string, props: FunctionTriggersProps) {
    super(scope, id);
    this.rules = props.rules.map((spec) => this.addRule(spec, props));
    this.schedules = props.schedules.map((spec) => this.addSchedule(spec, props));
  }

  private addRule(spec: RuleSpec, props: FunctionTriggersProps): events.Rule {
    const id = `${pascalCase(spec.name)}Rule`;
    const deadLetters = this.deadLetterQueue(`${id}DeadLetters`, `EventBridge rule ${spec.name}`, props);
    const rule = new events.Rule(this, id, {
      eventBus: props.eventBus,
      description: `${spec.name}: delivers matching events to ${props.functionName}`,
      eventPattern: toCdkEventPattern(spec.pattern),
    });
    rule.addTarget(
      new targets.LambdaFunction(props.target, {
        deadLetterQueue: deadLetters.queue,
        retryAttempts: DELIVERY.retryAttempts,
        maxEventAge: DELIVERY.maxEventAge,
      }),
    );
    return rule;
  }

  private addSchedule(spec: ScheduleSpec, props: FunctionTriggersProps): scheduler.CfnSchedule {
    const id = `${pascalCase(spec.name)}Schedule`;
    const deadLetters = this.deadLetterQueue(`${id}DeadLetters`, `Schedule ${spec.name}`, props);
    const stack = Stack.of(this);
    const role = new ManagedPolicyRole(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: `EventBridge Scheduler invokes ${props.functionName} for schedule ${spec.name}`,
    });
    // Written out rather than `grantInvoke`, which also allows every version and alias (`<arn>:*`).
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeTarget',
        actions: ['lambda:InvokeFunction'],
        resources: [props.target.functionArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DeadLetter',
        actions: ['sqs:SendMessage'],
        resources: [deadLetters.queue.queueArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EncryptDeadLetters',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.deadLetterKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${stack.region}.amazonaws.com` } },
      }),
    );
    // L1: the L2 LambdaInvoke target always adds `grantInvoke`, i.e. the `<arn>:*` wildcard avoided above.
    return new scheduler.CfnSchedule(this, id, {
      description: `${spec.name}: invokes ${props.functionName}`,
      scheduleExpression: spec.expression,
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: props.target.functionArn,
        roleArn: role.roleArn,
        deadLetterConfig: { arn: deadLetters.queue.queueArn },
        retryPolicy: {
          maximumRetryAttempts: DELIVERY.retryAttempts,
          maximumEventAgeInSeconds: DELIVERY.maxEventAge.toSeconds(),
        },
      },
    });
  }

  private deadLetterQueue(id: string, source: string, props: FunctionTriggersProps): DeadLetterQueue {
    const deadLetters = new DeadLetterQueue(this, id, {
      encryptionKey: props.deadLetterKey,
      alarmTopic: props.alarmTopic,
      source: `${source} (target ${props.functionName})`,
    });
    Validations.of(deadLetters.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        `This queue is itself the dead-letter queue of ${source}; cdk-nag only recognizes queues and Lambda ` +
        'functions as DLQ users. Its depth alarm pages on-call instead of a further redrive.',
    });
    return deadLetters;
  }
}

/** EventBridge JSON field names -> CDK's camelCase `EventPattern` (which renders them back unchanged). */
const PATTERN_FIELDS: Readonly<Record<string, keyof events.EventPattern>> = {
  version: 'version',
  id: 'id',
  'detail-type': 'detailType',
  source: 'source',
  account: 'account',
  time: 'time',
  region: 'region',
  resources: 'resources',
  detail: 'detail',
};

export function toCdkEventPattern(pattern: EventPattern): events.EventPattern {
  const converted: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(pattern)) {
    const cdkField = PATTERN_FIELDS[field];
    if (!cdkField) throw new Error(`Unsupported event pattern field "${field}"`);
    converted[cdkField] = value;
  }
  // The topology's patterns are plain EventBridge JSON; CDK types the same JSON field by field.
  return converted as events.EventPattern;
}
