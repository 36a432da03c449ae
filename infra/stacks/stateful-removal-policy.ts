/** How stateful resources (keys, tables, logs, users) are treated when their stack is deleted or they are replaced. */
import { RemovalPolicy } from 'aws-cdk-lib';
import type { DeploymentConfig } from '../config.ts';

/** Prod keeps everything that may hold or decrypt PHI or audit evidence; dev cleans up after itself. */
export function statefulRemovalPolicy(config: Pick<DeploymentConfig, 'environment'>): RemovalPolicy {
  return config.environment === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
}
