/** The WAF web ACL in front of a REGIONAL API: AWS managed rules, a per-IP rate limit, and redacted logs. */
import { ArnFormat, Names, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

export interface ApiFirewallProps {
  /** The stages it protects: the staff API's and, when configured, the integration API's. */
  readonly stages: readonly apigw.Stage[];
  /** Requests per five minutes from one IP before it is blocked. */
  readonly rateLimitPerIp: number;
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

export class ApiFirewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: ApiFirewallProps) {
    super(scope, id);
    const metrics = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName,
      // Sampled requests keep headers (bearer tokens) viewable in the console; metrics are enough.
      sampledRequestsEnabled: false,
    });
    const managedRuleGroup = (
      name: string,
      priority: number,
      ruleActionOverrides?: wafv2.CfnWebACL.RuleActionOverrideProperty[],
    ): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name, ruleActionOverrides } },
      visibilityConfig: metrics(name),
    });

    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: metrics('ClinicalApi'),
      rules: [
        // Clinical text (notes, transcripts) routinely exceeds the rule set's 8 KB body limit; the handlers enforce
        // their own size limits, so that one rule only counts.
        managedRuleGroup('AWSManagedRulesCommonRuleSet', 10, [
          { name: 'SizeRestrictions_BODY', actionToUse: { count: {} } },
        ]),
        managedRuleGroup('AWSManagedRulesKnownBadInputsRuleSet', 20),
        {
          name: 'RateLimitPerIp',
          priority: 30,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: props.rateLimitPerIp, aggregateKeyType: 'IP' } },
          visibilityConfig: metrics('RateLimitPerIp'),
        },
      ],
    });

    // WAF only delivers to log groups whose name starts with `aws-waf-logs-`.
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `aws-waf-logs-${Names.uniqueResourceName(this, { maxLength: 64 })}`,
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the log group ARN without the `:*` suffix that `logGroupArn` carries.
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: logGroup.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      // Bearer tokens and query strings never reach the logs.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { queryString: {} }],
    });

    for (const [index, stage] of props.stages.entries()) {
      new wafv2.CfnWebACLAssociation(this, index === 0 ? 'Association' : `Association${index + 1}`, {
        resourceArn: stage.stageArn,
        webAclArn: this.webAcl.attrArn,
      });
    }
  }
}
