/** Builds the CDK app from a deployment config and the topology: the stacks, their wiring, and the cdk-nag packs. */
import { fileURLToPath } from 'node:url';
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { type DeploymentConfig, stackPrefix } from './config.ts';
import { AuditStack, TRAIL_DATA_EVENT_TABLE_KEYS } from './stacks/audit-stack.ts';
import { DataStack } from './stacks/data-stack.ts';
import { EventsStack } from './stacks/events-stack.ts';
import { IdentityStack } from './stacks/identity-stack.ts';
import { NetworkStack } from './stacks/network-stack.ts';
import { SecurityStack } from './stacks/security-stack.ts';
import { ServiceStack } from './stacks/service-stack.ts';
import type { Topology } from './topology/types.ts';

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

export interface GatewayStacks {
  readonly security: SecurityStack;
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly identity: IdentityStack;
  readonly events: EventsStack;
  readonly audit: AuditStack;
  readonly service: ServiceStack;
}

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
    description: describe('event bus and archive'),
    config,
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
  const service = new ServiceStack(app, `${prefix}-Service`, {
    description: describe('functions, REST API, rules and schedules'),
    config,
    topology,
    projectRoot: PROJECT_ROOT,
    keys: security.keys,
    placement: network.network,
    privateApiEndpoint: network.network.executeApiEndpoint,
    tables: data.tables.bindings,
    eventBus: events.bus,
    userPool: identity.directory.userPool,
    auditArchive: audit.archive,
    auditControlChanges: audit.trail.controlChanges,
  });

  Tags.of(app).add('application', 'clinical-ai-gateway');
  Tags.of(app).add('practice', config.practiceName);
  Tags.of(app).add('environment', config.environment);

  return { app, stacks: { security, network, data, identity, events, audit, service } };
}

/** Topology mistakes that CDK would accept but that must never reach an account. */
function assertRealizable(topology: Topology, config: DeploymentConfig): void {
  for (const name of Object.keys(config.reservedConcurrency.functions)) {
    if (!(name in topology.functions)) {
      throw new Error(`reservedConcurrency.functions names "${name}", which is not a function in the topology`);
    }
  }
  for (const [name, spec] of Object.entries(topology.functions)) {
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
