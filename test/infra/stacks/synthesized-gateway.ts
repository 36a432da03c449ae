/** Synthesizes the gateway once per config and answers the questions the infra tests ask of its templates. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { App, Stack } from 'aws-cdk-lib';
import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CURRENT_VERSION_EXPIRED_FLAGS } from 'aws-cdk-lib/cx-api';
import { buildApp, type GatewayStacks, PROJECT_ROOT } from '../../../infra/cdk-app.ts';
import type { DeploymentConfig } from '../../../infra/config.ts';
import { FUNCTION_AREAS, type Topology } from '../../../infra/topology/types.ts';

export type StackName = keyof GatewayStacks;

export interface SynthesizedGateway {
  readonly app: App;
  readonly stacks: GatewayStacks;
  readonly outdir: string;
  readonly templates: Readonly<Record<StackName, Template>>;
  /** Removes the cloud assembly directory. */
  dispose(): void;
}

/** cdk.json's context, as `cdk synth` passes it, minus CDK v1 flags that CDK v2 refuses (reported separately). */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return Object.fromEntries(
    Object.entries(cdkJson.context ?? {}).filter(([flag]) => !CURRENT_VERSION_EXPIRED_FLAGS.includes(flag)),
  );
}

/** Builds and synthesizes without bundling; `app.synth()` runs the cdk-nag packs and throws on an error finding. */
export function synthesizeGateway(config: DeploymentConfig, topology: Topology): SynthesizedGateway {
  const outdir = mkdtempSync(path.join(tmpdir(), 'cag-synth-'));
  const { app, stacks } = buildApp({ config, topology, bundle: false, outdir, context: cdkJsonContext() });
  const assembly = app.synth();
  const templateOf = (stack: Stack) => Template.fromJSON(assembly.getStackArtifact(stack.artifactId).template);
  const templates = Object.fromEntries(
    Object.entries(stacks).map(([name, stack]) => [name, templateOf(stack)]),
  ) as Record<StackName, Template>;
  // The stateless service as a reader sees it: the API stack and every area's functions in one template.
  const stateless = [stacks.service, ...FUNCTION_AREAS.flatMap((area) => stacks[`${area}Functions`] ?? [])];
  templates.service = mergedTemplate(stateless.map((stack) => assembly.getStackArtifact(stack.artifactId).template));
  return { app, stacks, outdir, templates, dispose: () => rmSync(outdir, { recursive: true, force: true }) };
}

/** One template holding the resources and outputs of several stacks (their logical ids never collide). */
function mergedTemplate(templates: readonly { Resources?: object; Outputs?: object }[]): Template {
  return Template.fromJSON({
    Resources: Object.assign({}, ...templates.map((template) => template.Resources ?? {})),
    Outputs: Object.assign({}, ...templates.map((template) => template.Outputs ?? {})),
  });
}

export interface Finding {
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly constructPath: string;
}

/**
 * Every finding left in the assembly's validation report, warnings included. cdk-nag already fails `app.synth()`
 * on its warnings; the report also holds what other plugins (CDK's CloudFormation validation) only warn about.
 */
export function reportedFindings(outdir: string): Finding[] {
  const report = JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: {
      pluginName: string;
      violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] }[];
    }[];
  };
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((violation) =>
      violation.violatingConstructs.map((construct) => ({
        plugin: plugin.pluginName,
        rule: violation.ruleName,
        severity: violation.severity,
        constructPath: construct.constructPath,
      })),
    ),
  );
}

export interface Acknowledgement {
  readonly constructPath: string;
  readonly rule: string;
  readonly reason: string;
}

/** Every `Validations.of(x).acknowledge()` in the construct tree, read from the metadata cdk-nag consults. */
export function acknowledgements(app: App): Acknowledgement[] {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([rule, reason]) => ({
          constructPath: construct.node.path,
          // aws-cdk-lib namespaces the id ("Annotation::AwsSolutions-IAM5"); cdk-nag compares without it.
          rule: rule.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

type CfnResource = { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string };

export function resourcesOf(template: Template, type: string): [string, CfnResource][] {
  return Object.entries(template.findResources(type)) as [string, CfnResource][];
}

export interface ApiRoute {
  readonly method: string;
  readonly path: string;
  readonly authorizationType: unknown;
  readonly authorizerId: unknown;
}

/** The API's methods with their full paths, rebuilt from the resource tree (ParentId chains up to the root). */
export function apiRoutes(template: Template): ApiRoute[] {
  const resources = template.findResources('AWS::ApiGateway::Resource') as Record<string, CfnResource>;
  const pathOf = (logicalId: string): string => {
    const resource = resources[logicalId];
    if (!resource) return '';
    const parent = resource.Properties?.ParentId as { Ref?: string } | undefined;
    return `${parent?.Ref ? pathOf(parent.Ref) : ''}/${String(resource.Properties?.PathPart)}`;
  };
  return resourcesOf(template, 'AWS::ApiGateway::Method').map(([, method]) => {
    const props = method.Properties ?? {};
    const resourceId = props.ResourceId as { Ref?: string } | undefined;
    return {
      method: String(props.HttpMethod),
      path: resourceId?.Ref ? pathOf(resourceId.Ref) : '/',
      authorizationType: props.AuthorizationType,
      authorizerId: props.AuthorizerId,
    };
  });
}

export interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, unknown>;
  readonly Sid?: string;
}

/** Identity-policy statements in a template: managed policies, inline policies, and policies inline in roles. */
export function identityStatements(template: Template): { owner: string; statement: PolicyStatementJson }[] {
  const documents: { owner: string; document: unknown }[] = [
    ...resourcesOf(template, 'AWS::IAM::ManagedPolicy').map(([id, r]) => ({
      owner: id,
      document: r.Properties?.PolicyDocument,
    })),
    ...resourcesOf(template, 'AWS::IAM::Policy').map(([id, r]) => ({
      owner: id,
      document: r.Properties?.PolicyDocument,
    })),
    ...resourcesOf(template, 'AWS::IAM::Role').flatMap(([id, r]) =>
      ((r.Properties?.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map((policy) => ({
        owner: id,
        document: policy.PolicyDocument,
      })),
    ),
  ];
  return documents.flatMap(({ owner, document }) =>
    ((document as { Statement?: PolicyStatementJson[] } | undefined)?.Statement ?? []).map((statement) => ({
      owner,
      statement,
    })),
  );
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
