/** Builds the CDK app from a deployment config and the topology: the stacks, their wiring, and the cdk-nag packs. */
import { fileURLToPath } from 'node:url';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { assertReservedConcurrencyFits, type DeploymentConfig, stackPrefix } from './config.ts';
import { DeadLetterQueue } from './constructs/dead-letter-queue.ts';
import { EncounterWebSocketApi } from './constructs/encounter-websocket-api.ts';
import { pascalCase } from './constructs/pascal-case.ts';
import { AuditStack, TRAIL_DATA_EVENT_TABLE_KEYS } from './stacks/audit-stack.ts';
import { DataStack } from './stacks/data-stack.ts';
import { EventsStack } from './stacks/events-stack.ts';
import { FunctionsStack } from './stacks/functions-stack.ts';
import { IdentityStack } from './stacks/identity-stack.ts';
import { NetworkStack } from './stacks/network-stack.ts';
import { ObservabilityStack } from './stacks/observability-stack.ts';
import { SecurityStack } from './stacks/security-stack.ts';
import { ServiceStack } from './stacks/service-stack.ts';
import { statefulRemovalPolicy } from './stacks/stateful-removal-policy.ts';
import { FUNCTION_AREAS, type FunctionArea, type FunctionSpec, type Topology } from './topology/types.ts';

/** The repository root: function entries, the lock file and tsconfig are resolved from here. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** CDK context naming the stacks whose assets are bundled; an empty list skips esbuild (tests). */
const BUNDLING_STACKS_CONTEXT = 'aws:cdk:bundling-stacks';

export interface BuildAppOptions {
  readonly config: DeploymentConfig;
  readonly topology: Topology;
  /** False skips asset bundling so tests synthesize in seconds; `cdk synth` bundles. Default true. */
  readonly bundle?: boolean;
  readonly outdir?: string;
  /** Context for the App (e.g. cdk.json feature flags); the CLI's own context is merged in by the App itself. */
  readonly context?: Readonly<Record<string, unknown>>;
}

export interface CoreStacks {
  readonly security: SecurityStack;
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly identity: IdentityStack;
  readonly events: EventsStack;
  readonly audit: AuditStack;
  readonly service: ServiceStack;
  readonly observability: ObservabilityStack;
}

/** The key of an area's functions stack in `GatewayStacks`, e.g. `clinicalFunctions`. */
export type FunctionsStackKey = `${FunctionArea}Functions`;

/** Every stack; an area without functions in the topology has no stack. */
export type GatewayStacks = CoreStacks & Partial<Record<FunctionsStackKey, FunctionsStack>>;

/** Environment-agnostic: no account or region is needed, so synthesis works without AWS credentials. */
export function buildApp(options: BuildAppOptions): { app: App; stacks: GatewayStacks } {
  const { config, topology } = options;
  assertRealizable(topology, config);
  const app = new App({
    outdir: options.outdir,
    context: { ...options.context, ...(options.bundle === false ? { [BUNDLING_STACKS_CONTEXT]: [] } : {}) },
  });
  Validations.of(app).addPlugins(new HIPAASecurityChecks(app), new AwsSolutionsChecks(app), new NIST80053R5Checks(app));

  const prefix = stackPrefix(config);
  const describe = (what: string) => `${config.practiceName} clinical AI gateway (${config.environment}): ${what}`;
  // Stateful stacks are hard to delete by accident in prod.
  const stateful = { terminationProtection: config.environment === 'prod' };

  const security = new SecurityStack(app, `${prefix}-Security`, {
    ...stateful,
    description: describe('customer-managed KMS keys'),
    config,
  });
  const network = new NetworkStack(app, `${prefix}-Network`, {
    ...stateful,
    description: describe('isolated VPC, endpoints and flow logs'),
    config,
    logsKey: security.keys.logs,
  });
  const data = new DataStack(app, `${prefix}-Data`, {
    ...stateful,
    description: describe('DynamoDB tables and backups'),
    config,
    tables: topology.tables,
    keys: security.keys,
  });
  const identity = new IdentityStack(app, `${prefix}-Identity`, {
    ...stateful,
    description: describe('staff user pool'),
    config,
  });
  const events = new EventsStack(app, `${prefix}-Events`, {
    ...stateful,
    description: describe('event bus, archive and notification topics'),
    config,
    messagingKey: security.keys.messaging,
  });
  const audit = new AuditStack(app, `${prefix}-Audit`, {
    ...stateful,
    description: describe('audit archive and CloudTrail, object-locked'),
    config,
    keys: security.keys,
    dataEventTables: Object.entries(topology.tables)
      .filter(([, spec]) => TRAIL_DATA_EVENT_TABLE_KEYS.includes(spec.key))
      .flatMap(([name]) => data.tables.bindings[name]?.table ?? []),
  });
  const functionStacks: Partial<Record<FunctionsStackKey, FunctionsStack>> = {};
  for (const area of FUNCTION_AREAS) {
    const functions = Object.fromEntries(Object.entries(topology.functions).filter(([, spec]) => spec.area === area));
    if (Object.keys(functions).length === 0) continue;
    functionStacks[`${area}Functions`] = new FunctionsStack(app, `${prefix}-${pascalCase(area)}Functions`, {
      description: describe(`${area} functions, their rules and schedules`),
      config,
      functions,
      projectRoot: PROJECT_ROOT,
      keys: security.keys,
      placement: network.network,
      tables: data.tables.bindings,
      eventBus: events.bus,
      auditArchive: audit.archive,
      alarmTopic: events.alarmTopic.topic,
      privacyTopic: events.privacyTopic.topic,
    });
  }
  // The socket API lives beside its functions: the open function needs its URL, and the API needs the functions, so
  // in another stack the references would run both ways.
  const clinical = functionStacks.clinicalFunctions;
  if (clinical) {
    new EncounterWebSocketApi(clinical, 'EncounterSocket', {
      description: `${config.practiceName}: encounter transcription socket`,
      topology,
      functions: clinical.functions,
      userPool: identity.directory.userPool,
      stageName: config.environment,
      throttle: config.apiThrottle,
      logsKey: security.keys.logs,
      logRetention: config.logRetentionDays,
      removalPolicy: statefulRemovalPolicy(config),
      accountLogging: security.apiGatewayLogging,
    });
  }
  const service = new ServiceStack(app, `${prefix}-Service`, {
    description: describe('REST API over the functions, firewall and access logs'),
    config,
    topology,
    functions: Object.assign({}, ...Object.values(functionStacks).map((stack) => stack.functions)),
    keys: security.keys,
    privateApiEndpoint: network.network.executeApiEndpoint,
    userPool: identity.directory.userPool,
    alarmTopic: events.alarmTopic,
    privacyTopic: events.privacyTopic,
    auditControlChanges: audit.trail.controlChanges,
    apiGatewayLogging: security.apiGatewayLogging,
  });

  const functionStackList = Object.values(functionStacks);
  const observability = new ObservabilityStack(app, `${prefix}-Observability`, {
    description: describe('operations dashboard and alarms'),
    config,
    topology,
    functions: Object.fromEntries(
      functionStackList.flatMap((stack) => Object.entries(stack.functions)).map(([name, fn]) => [name, fn.function]),
    ),
    // Found in the tree rather than listed: every function, rule and schedule brings one.
    deadLetterQueues: functionStackList
      .flatMap((stack) => stack.node.findAll())
      .filter((construct): construct is DeadLetterQueue => construct instanceof DeadLetterQueue)
      .map((deadLetters) => ({
        source: deadLetters.node.path.split('/').slice(1, -1).join('/'),
        queue: deadLetters.queue,
      })),
    tables: Object.fromEntries(Object.entries(data.tables.bindings).map(([name, binding]) => [name, binding.table])),
    alarmTopic: events.alarmTopic.topic,
    trailLogGroup: audit.trail.logGroup,
  });

  Tags.of(app).add('application', 'clinical-ai-gateway');
  Tags.of(app).add('practice', config.practiceName);
  Tags.of(app).add('environment', config.environment);

  return {
    app,
    stacks: { security, network, data, identity, events, audit, service, observability, ...functionStacks },
  };
}

/** Topology mistakes that CDK would accept but that must never reach an account. */
function assertRealizable(topology: Topology, config: DeploymentConfig): void {
  for (const name of Object.keys(config.reservedConcurrency.functions)) {
    if (!(name in topology.functions)) {
      throw new Error(`reservedConcurrency.functions names "${name}", which is not a function in the topology`);
    }
  }
  assertReservedConcurrencyFits(config, Object.keys(topology.functions));
  for (const [name, spec] of Object.entries(topology.functions)) {
    assertPlacement(name, spec);
    for (const table of Object.keys(spec.tables ?? {})) {
      if (!(table in topology.tables)) throw new Error(`Function ${name} uses table "${table}", which is not declared`);
    }
    for (const route of spec.routes ?? []) {
      // An unauthenticated write would let anyone on the internet change data: only the public, throttled
      // patient FAQ (which stores nothing and refuses PHI) may take a POST without a login.
      const publicRoute = route.path.startsWith('/v1/public/') && route.throttle !== undefined;
      if (route.auth === 'none' && route.method !== 'GET' && !publicRoute) {
        throw new Error(
          `Route ${route.method} ${route.path} of ${name} must not be auth: 'none'; only GET, or a throttled /v1/public/ route, may be`,
        );
      }
    }
  }
}

/**
 * Only a function that declares it handles no PHI may run outside the isolated subnets, and the declaration must be
 * believable: no tables and no capabilities (no data, keys, events or models it could reach), no routes that
 * carry requests (it sees only the socket handshake), and a stated reason for the cdk-nag acknowledgement.
 */
function assertPlacement(name: string, spec: FunctionSpec): void {
  const network = spec.network;
  if (!network) return;
  if (network.placement !== 'outside-vpc' || network.phi !== 'none') {
    throw new Error(`Function ${name} may run outside the VPC only when it declares phi: 'none'`);
  }
  if (network.reason.trim().length < 40) {
    throw new Error(`Function ${name} runs outside the VPC and must say why (network.reason)`);
  }
  const reaches = [
    ...Object.keys(spec.tables ?? {}).map((table) => `table ${table}`),
    ...(spec.capabilities ?? []).map((capability) => `capability ${capability}`),
    ...(spec.routes ?? []).map((route) => `route ${route.method} ${route.path}`),
    ...(spec.socketRoutes ?? []).map((route) => `socket route ${route.routeKey}`),
    ...(spec.rules ?? []).map((rule) => `rule ${rule.name}`),
    ...(spec.schedules ?? []).map((schedule) => `schedule ${schedule.name}`),
  ];
  if (reaches.length > 0) {
    throw new Error(
      `Function ${name} runs outside the VPC, so it must reach no data and receive no requests; it has ${reaches.join(', ')}`,
    );
  }
}
