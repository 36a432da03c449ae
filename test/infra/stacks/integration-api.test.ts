import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDeploymentConfig } from '../../../infra/config.ts';
import { topology } from '../../../infra/topology/index.ts';
import { ENV } from '../../../shared/runtime/environment-names.ts';
import {
  apiRoutes,
  reportedFindings,
  resourcesOf,
  type SynthesizedGateway,
  synthesizeGateway,
} from './synthesized-gateway.ts';

const SYNTH_TIMEOUT = 120_000;
const EHR_ROLE = 'arn:aws:iam::111122223333:role/integrations/ehr-bridge';

describe('the integration API for server-to-server callers', () => {
  const config = loadDeploymentConfig({
    deployment: 'dev',
    deploymentOverrides: { integrationCallers: [{ name: 'ehr-bridge', principalArn: EHR_ROLE, roles: ['nurse'] }] },
  });
  let gateway: SynthesizedGateway;

  beforeAll(() => {
    gateway = synthesizeGateway(config, topology);
  }, SYNTH_TIMEOUT);
  afterAll(() => gateway?.dispose());

  it('passes the cdk-nag packs with the second API in place', () => {
    expect(reportedFindings(gateway.outdir)).toEqual([]);
  });

  it('serves every signed-in route a second time with IAM authorization, and no unauthenticated route', () => {
    const userRoutes = Object.values(topology.functions).flatMap((spec) =>
      (spec.routes ?? []).filter((route) => route.auth === 'user').map((route) => `${route.method} ${route.path}`),
    );
    const iamRoutes = apiRoutes(gateway.templates.service)
      .filter((route) => route.authorizationType === 'AWS_IAM')
      .map((route) => `${route.method} ${route.path}`);

    expect(iamRoutes.sort()).toEqual(userRoutes.sort());
  });

  it('admits only the configured principals through its resource policy', () => {
    const apis = resourcesOf(gateway.templates.service, 'AWS::ApiGateway::RestApi').map(([, api]) => api);
    const integrationApi = apis.find((api) => api.Properties?.Policy !== undefined);
    const policy = integrationApi?.Properties?.Policy as { Statement: Record<string, unknown>[] } | undefined;
    const statements = policy?.Statement;

    expect(statements).toEqual([
      expect.objectContaining({ Effect: 'Allow', Condition: { ArnLike: { 'aws:PrincipalArn': [EHR_ROLE] } } }),
      expect.objectContaining({ Effect: 'Deny', Condition: { ArnNotLike: { 'aws:PrincipalArn': [EHR_ROLE] } } }),
    ]);
  });

  it('puts both stages behind the web ACL and outputs the integration API URL', () => {
    gateway.templates.service.resourceCountIs('AWS::WAFv2::WebACLAssociation', 2);
    gateway.templates.service.hasOutput('IntegrationApiUrl', { Value: Match.anyValue() });
  });

  it('tells the functions behind signed-in routes which principals are integrations, and no other function', () => {
    const withUserRoutes = Object.values(topology.functions).filter((spec) =>
      (spec.routes ?? []).some((route) => route.auth === 'user'),
    ).length;
    const functions = resourcesOf(gateway.templates.service, 'AWS::Lambda::Function').map(([, fn]) => fn);
    const configured = functions.filter((fn) => {
      const variables = (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
      return variables?.[ENV.integrationCallers] !== undefined;
    });

    expect(configured).toHaveLength(withUserRoutes);
    const environment = configured[0]?.Properties?.Environment as { Variables: Record<string, string> } | undefined;
    expect(JSON.parse(environment?.Variables[ENV.integrationCallers] ?? 'null')).toEqual([
      { name: 'ehr-bridge', principalArn: EHR_ROLE, roles: ['nurse'] },
    ]);
  });
});
