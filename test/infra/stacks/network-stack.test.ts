import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, type Template, Template as TemplateOf } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeploymentConfig, loadDeploymentConfig } from '../../../infra/config.ts';
import type { EncounterWebSocketApi } from '../../../infra/constructs/encounter-websocket-api.ts';
import { FUNCTION_API_ENDPOINTS, NetworkStack } from '../../../infra/stacks/network-stack.ts';
import { topology } from '../../../infra/topology/index.ts';
import { asArray, resourcesOf, type SynthesizedGateway, synthesizeGateway } from './synthesized-gateway.ts';

const SYNTH_TIMEOUT = 120_000;
const THIS_ACCOUNT = { Ref: 'AWS::AccountId' };
const LOGS_KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/11111111-2222-3333-4444-555555555555';

const PRIVATE_OVERRIDES = {
  alarmEmail: 'oncall@practice.example',
  apiEndpointType: 'PRIVATE',
  privateApiClientCidrs: ['10.90.0.0/16'],
};

type EndpointStatement = {
  Sid?: string;
  Effect: string;
  Principal: unknown;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

/**
 * The stack alone, with a stand-in for the Security stack's logs key and the three cdk-nag packs: fast, and
 * independent of the rest of the app.
 */
function synthesizeNetwork(config: DeploymentConfig): { stack: NetworkStack; template: Template } {
  const app = new App();
  Validations.of(app).addPlugins(new HIPAASecurityChecks(app), new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  const security = new Stack(app, 'Security');
  const stack = new NetworkStack(app, 'Network', {
    config,
    logsKey: kms.Key.fromKeyArn(security, 'LogsKey', LOGS_KEY_ARN),
  });
  // Synthesis runs the packs; an error-level finding throws.
  app.synth();
  return { stack, template: TemplateOf.fromStack(stack) };
}

const serviceNameSuffix = (serviceName: unknown): string => {
  const parts = (serviceName as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  return String(parts.at(-1)).replace(/^\./, '');
};

function endpointPolicies(template: Template): { service: string; statements: EndpointStatement[] }[] {
  return resourcesOf(template, 'AWS::EC2::VPCEndpoint').map(([, endpoint]) => ({
    service: serviceNameSuffix(endpoint.Properties?.ServiceName),
    statements:
      (endpoint.Properties?.PolicyDocument as { Statement?: EndpointStatement[] } | undefined)?.Statement ?? [],
  }));
}

describe('NetworkStack', () => {
  describe.each([
    ['dev', loadDeploymentConfig({ deployment: 'dev' })],
    ['PRIVATE prod', loadDeploymentConfig({ deployment: 'prod', deploymentOverrides: PRIVATE_OVERRIDES })],
  ] as const)('the %s network', (_name, config) => {
    let template: Template;

    beforeAll(() => {
      ({ template } = synthesizeNetwork(config));
    }, SYNTH_TIMEOUT);

    it('gives every VPC endpoint a policy: only this account’s principals, acting on this account’s resources', () => {
      const policies = endpointPolicies(template).filter(({ service }) => service !== 'execute-api');

      // The two gateway endpoints and one interface endpoint per declared AWS API.
      expect(policies).toHaveLength(2 + Object.keys(FUNCTION_API_ENDPOINTS).length);
      for (const { service, statements } of policies) {
        expect(statements.length, service).toBeGreaterThan(0);
        expect(statements, service).toContainEqual(
          expect.objectContaining({
            Effect: 'Allow',
            Action: '*',
            Resource: '*',
            Condition: { StringEquals: { 'aws:PrincipalAccount': THIS_ACCOUNT, 'aws:ResourceAccount': THIS_ACCOUNT } },
          }),
        );
        // No statement lets a principal of another account, or an anonymous request, through.
        for (const statement of statements) {
          expect(statement.Effect, service).toBe('Allow');
          expect(statement.Condition?.StringEquals?.['aws:PrincipalAccount'], service).toEqual(THIS_ACCOUNT);
        }
      }
    });

    it('admits calls that name no account’s resource only for the listed actions, never "*"', () => {
      const exceptions = endpointPolicies(template).flatMap(({ service, statements }) =>
        statements
          .filter((statement) => statement.Condition?.StringEquals?.['aws:ResourceAccount'] === undefined)
          .filter(() => service !== 'execute-api')
          .map((statement) => ({ service, actions: asArray(statement.Action), resources: statement.Resource })),
      );

      expect(exceptions.map(({ service }) => service).sort()).toEqual([
        'bedrock-runtime',
        'comprehendmedical',
        'monitoring',
        'transcribestreaming',
        'xray',
      ]);
      for (const { service, actions } of exceptions) {
        expect(actions.length, service).toBeGreaterThan(0);
        for (const action of actions) expect(action.startsWith('*'), `${service} ${action}`).toBe(false);
      }
      // Bedrock: AWS-owned foundation models, and inference profiles by ARNs that name this account.
      expect(asArray(exceptions.find(({ service }) => service === 'bedrock-runtime')?.resources)).toEqual([
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:*::foundation-model/*']] },
        {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:*:', THIS_ACCOUNT, ':inference-profile/*']],
        },
      ]);
    });

    it('sends the default security group provider’s logs to an encrypted log group on the configured retention', () => {
      const [handlerId, handler] =
        resourcesOf(template, 'AWS::Lambda::Function').find(([id]) =>
          id.startsWith('CustomVpcRestrictDefaultSGCustomResourceProviderHandler'),
        ) ?? [];
      if (!handlerId || !handler) throw new Error('no restrict-default-SG provider in the Network stack');
      const logGroupRef = (handler.Properties?.LoggingConfig as { LogGroup?: { Ref?: string } } | undefined)?.LogGroup;

      expect(logGroupRef?.Ref).toEqual(expect.any(String));
      const logGroups = Object.fromEntries(resourcesOf(template, 'AWS::Logs::LogGroup'));
      expect(logGroups[String(logGroupRef?.Ref)]?.Properties).toMatchObject({
        KmsKeyId: LOGS_KEY_ARN,
        RetentionInDays: config.logRetentionDays,
      });
    });
  });

  it(
    'lets the practice networks reach this account’s APIs only through the execute-api endpoint',
    () => {
      const config = loadDeploymentConfig({ deployment: 'prod', deploymentOverrides: PRIVATE_OVERRIDES });
      const { template } = synthesizeNetwork(config);
      const executeApi = endpointPolicies(template).filter(({ service }) => service === 'execute-api');

      expect(executeApi).toHaveLength(1);
      // Staff browsers call with Cognito tokens, not AWS credentials: the endpoint cannot require this account's
      // principals, so it names this account's APIs instead.
      expect(executeApi[0]?.statements).toEqual([
        expect.objectContaining({
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'execute-api:Invoke',
          Resource: {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:', { Ref: 'AWS::Region' }, ':', THIS_ACCOUNT, ':*'],
            ],
          },
        }),
      ]);
    },
    SYNTH_TIMEOUT,
  );
});

describe('the whole app with a PRIVATE API', () => {
  const config = loadDeploymentConfig({ deployment: 'prod', deploymentOverrides: PRIVATE_OVERRIDES });
  let gateway: SynthesizedGateway;

  beforeAll(() => {
    gateway = synthesizeGateway(config, topology);
  }, SYNTH_TIMEOUT);
  afterAll(() => gateway?.dispose());

  it('runs only the socket authorizer and the default security group provider outside the VPC, both logging encrypted', () => {
    const outsideVpc: string[] = [];
    for (const stack of Object.values(gateway.stacks) as Stack[]) {
      const template = TemplateOf.fromStack(stack);
      const resources = template.toJSON().Resources as Record<string, { Properties?: Record<string, unknown> }>;
      const functions = stack.node
        .findAll()
        .filter((construct) => construct instanceof CfnResource)
        .filter((resource) => resource.cfnResourceType === 'AWS::Lambda::Function');
      for (const fn of functions) {
        const properties = resources[stack.getLogicalId(fn)]?.Properties ?? {};
        if (properties.VpcConfig !== undefined) continue;
        outsideVpc.push(fn.node.path);
        const logGroupId = (properties.LoggingConfig as { LogGroup?: { Ref?: string } } | undefined)?.LogGroup?.Ref;
        expect(resources[String(logGroupId)]?.Properties, fn.node.path).toMatchObject({
          KmsKeyId: expect.anything(),
          RetentionInDays: config.logRetentionDays,
        });
      }
    }

    const authorizers = Object.entries(topology.functions)
      .filter(([, spec]) => spec.network?.placement === 'outside-vpc')
      .flatMap(([name]) => gateway.stacks.service.functions[name]?.function.node.defaultChild ?? [])
      .map((fn) => fn.node.path);
    expect(authorizers).toHaveLength(1);
    expect(outsideVpc.sort()).toEqual(
      [
        ...authorizers,
        `${gateway.stacks.network.node.path}/Custom::VpcRestrictDefaultSGCustomResourceProvider/Handler`,
      ].sort(),
    );
  });

  it('warns at synthesis that the encounter WebSocket API stays public: API Gateway cannot make it private', () => {
    const clinical = gateway.stacks.clinicalFunctions;
    if (!clinical) throw new Error('no clinical functions stack');
    const socket = clinical.node.findChild('EncounterSocket') as EncounterWebSocketApi;
    const api = socket.api.node.defaultChild as CfnResource;

    Annotations.fromStack(clinical).hasWarning(
      `/${api.node.path}`,
      Match.stringLikeRegexp('WebSocket API.*cannot be private.*public'),
    );
    // The REST API stays private: the warning is the socket's alone.
    expect(
      Annotations.fromStack(gateway.stacks.service).findWarning('*', Match.stringLikeRegexp('cannot be private')),
    ).toEqual([]);
  });
});

describe('the whole app with a REGIONAL API', () => {
  it(
    'prints no public-socket warning',
    () => {
      const gateway = synthesizeGateway(loadDeploymentConfig({ deployment: 'dev' }), topology);
      try {
        const clinical = gateway.stacks.clinicalFunctions;
        if (!clinical) throw new Error('no clinical functions stack');
        expect(Annotations.fromStack(clinical).findWarning('*', Match.stringLikeRegexp('cannot be private'))).toEqual(
          [],
        );
      } finally {
        gateway.dispose();
      }
    },
    SYNTH_TIMEOUT,
  );
});
