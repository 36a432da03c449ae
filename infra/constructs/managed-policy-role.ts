/** An IAM role whose grants land in one customer-managed policy of its own instead of an inline default policy. */
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * HIPAA and NIST 800-53 packs flag inline policies (AWS Config `iam-no-inline-policy-check`): a customer-managed
 * policy is versioned, reviewable on its own, and can be attached read-only elsewhere for audits. Every
 * `grant*()` and `addToPrincipalPolicy()` call on this role therefore writes to `this.policy`, created on first use
 * so an unused role does not synthesize an empty (invalid) policy.
 */
export class ManagedPolicyRole extends iam.Role {
  private managedPolicy: iam.ManagedPolicy | undefined;

  constructor(scope: Construct, id: string, props: iam.RoleProps) {
    super(scope, id, props);
  }

  /** The role's permissions; undefined until the first statement is added. */
  get policy(): iam.ManagedPolicy | undefined {
    return this.managedPolicy;
  }

  override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.managedPolicy ??= new iam.ManagedPolicy(this, 'Policy', {
      description: `Least-privilege permissions of ${this.node.path}`,
      roles: [this],
    });
    this.managedPolicy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.managedPolicy };
  }
}
