/**
 * Stateless: the hardened functions of one area of the topology, with their table bindings, capability grants,
 * event rules and schedules. One stack per area keeps each well under CloudFormation's 500-resource limit (a
 * function brings about a dozen resources) and lets a reader find a capability's functions together.
 */
import path from 'node:path';
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../config.ts';
import { bindTable } from '../constructs/bind-table.ts';
import type { KeyRing } from '../constructs/encryption-keys.ts';
import { FunctionTriggers } from '../constructs/function-triggers.ts';
import { grantCapability } from '../constructs/grant-capability.ts';
import { HardenedFunction } from '../constructs/hardened-function.ts';
import type { FunctionPlacement } from '../constructs/isolated-network.ts';
import { pascalCase } from '../constructs/pascal-case.ts';
import type { TableBinding } from '../constructs/topology-tables.ts';
import type { FunctionSpec } from '../topology/types.ts';
import { statefulRemovalPolicy } from './stateful-removal-policy.ts';

/** Lambda's defaults (3 s, 128 MB) are too small for a middy + Powertools handler with a cold start. */
export const FUNCTION_DEFAULTS = { timeoutSeconds: 10, memoryMb: 512 } as const;

export interface FunctionsStackProps extends StackProps {
  readonly config: DeploymentConfig;
  /** The topology's functions of this area, by name. */
  readonly functions: Readonly<Record<string, FunctionSpec>>;
  /** Repository root: function entries in the topology are relative to it. */
  readonly projectRoot: string;
  readonly keys: KeyRing;
  readonly placement: FunctionPlacement;
  /** By the topology's logical table name. */
  readonly tables: Readonly<Record<string, TableBinding>>;
  readonly eventBus: events.IEventBus;
  /** The object-locked bucket of the daily audit exports (`audit:archive`). */
  readonly auditArchive: s3.IBucket;
  /** Dead-letter and error alarms. */
  readonly alarmTopic: sns.ITopic;
  /** Incident notices for the privacy officer (`alerts:notify`). */
  readonly privacyTopic: sns.ITopic;
}

export class FunctionsStack extends Stack {
  /** By the topology's function name. */
  readonly functions: Readonly<Record<string, HardenedFunction>>;

  constructor(scope: Construct, id: string, props: FunctionsStackProps) {
    super(scope, id, props);
    const functions: Record<string, HardenedFunction> = {};
    for (const [name, spec] of Object.entries(props.functions)) {
      functions[name] = this.addFunction(name, spec, props);
    }
    this.functions = functions;
  }

  private addFunction(name: string, spec: FunctionSpec, props: FunctionsStackProps): HardenedFunction {
    const { config, keys } = props;
    const id = pascalCase(name);
    const fn = new HardenedFunction(this, id, {
      entry: path.join(props.projectRoot, spec.entry),
      description: spec.description,
      projectRoot: props.projectRoot,
      timeout: Duration.seconds(spec.timeoutSeconds ?? FUNCTION_DEFAULTS.timeoutSeconds),
      memorySize: spec.memoryMb ?? FUNCTION_DEFAULTS.memoryMb,
      reservedConcurrency: config.reservedConcurrency.functions[name] ?? config.reservedConcurrency.default,
      // Inside the isolated subnets unless the topology declares (and the app has checked) that it handles no PHI.
      placement: spec.network ? { outsideVpc: { reason: spec.network.reason } } : props.placement,
      keys: { environment: keys.app, logs: keys.logs, deadLetters: keys.messaging },
      alarmTopic: props.alarmTopic,
      logRetention: config.logRetentionDays,
      removalPolicy: statefulRemovalPolicy(config),
    });

    for (const [tableName, access] of Object.entries(spec.tables ?? {})) {
      const binding = props.tables[tableName];
      if (!binding || !access) throw new Error(`Function ${name} uses unknown table ${tableName}`);
      bindTable(fn, tableName, binding, access);
    }
    for (const capability of spec.capabilities ?? []) {
      grantCapability(fn, capability, {
        eventBus: props.eventBus,
        vaultKey: keys.vault,
        tokenMacKey: keys.tokenMac,
        vaultRetentionDays: config.vaultRetentionDays,
        draftRetentionDays: config.draftRetentionDays,
        transcriptRetentionDays: config.transcriptRetentionDays,
        auditRetentionYears: config.auditRetentionYears,
        auditArchive: props.auditArchive,
        bedrockModelIds: Object.values(config.approvedModels),
        bedrockGuardrail: config.bedrockGuardrail,
        privacyTopic: props.privacyTopic,
      });
    }
    if ((spec.rules?.length ?? 0) > 0 || (spec.schedules?.length ?? 0) > 0) {
      new FunctionTriggers(this, `${id}Triggers`, {
        functionName: name,
        target: fn.function,
        rules: spec.rules ?? [],
        schedules: spec.schedules ?? [],
        eventBus: props.eventBus,
        deadLetterKey: keys.messaging,
        alarmTopic: props.alarmTopic,
      });
    }
    return fn;
  }
}
