/**
 * The server-to-server integration the local runtime knows, standing in for an IAM principal that API Gateway
 * would verify by SigV4 in AWS. `cag dev-token --integration local-ehr` signs a token that acts as it.
 */
import type { IntegrationCaller } from '../../shared/identity/integration-callers.ts';

const LOCAL_ACCOUNT = '000000000000';

export const LOCAL_INTEGRATION_CALLERS: readonly IntegrationCaller[] = [
  { name: 'local-ehr', principalArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/local-ehr`, roles: ['nurse'] },
];

/** The STS session ARN API Gateway reports in `requestContext.identity.userArn` for a caller assuming the role. */
export function localIntegrationSessionArn(name: string): string {
  return `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${name}/local-session`;
}
