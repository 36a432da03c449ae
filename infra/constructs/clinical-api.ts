/**
 * A REST API realizing the topology's routes: request validation, access and error logs, TLS 1.2 and throttling.
 * Staff reach it with a Cognito token; a second instance with IAM authorization serves server-to-server callers.
 */
import { Lazy, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, type IDependable } from 'constructs';
import type { RouteSpec } from '../topology/types.ts';
import { addGatewayErrorResponses } from './gateway-error-responses.ts';

/** Who may call: staff with Cognito tokens, or only the listed IAM principals signing with SigV4. */
export type ApiAuthorization =
  | { readonly kind: 'cognito'; readonly userPool: cognito.IUserPool }
  | { readonly kind: 'iam'; readonly principalArns: readonly string[] };

export interface ClinicalApiProps {
  readonly description: string;
  readonly stageName: string;
  /** REGIONAL (public, behind WAF) or PRIVATE (only through `privateEndpoint`). */
  readonly endpointType: 'REGIONAL' | 'PRIVATE';
  readonly privateEndpoint: ec2.IInterfaceVpcEndpoint | undefined;
  readonly authorization: ApiAuthorization;
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  /** API Gateway's account logging role, created in an earlier stack; the stage depends on it. */
  readonly accountLogging: IDependable;
}

/** Who called what and how it ended, without bodies, query strings or paths with ids (HIPAA access audit). */
const ACCESS_LOG_FORMAT = apigw.AccessLogFormat.custom(
  JSON.stringify({
    requestId: apigw.AccessLogField.contextRequestId(),
    requestTime: apigw.AccessLogField.contextRequestTimeEpoch(),
    httpMethod: apigw.AccessLogField.contextHttpMethod(),
    resourcePath: apigw.AccessLogField.contextResourcePath(),
    status: apigw.AccessLogField.contextStatus(),
    responseLength: apigw.AccessLogField.contextResponseLength(),
    latencyMs: apigw.AccessLogField.contextResponseLatency(),
    integrationLatencyMs: apigw.AccessLogField.contextIntegrationLatency(),
    sourceIp: apigw.AccessLogField.contextIdentitySourceIp(),
    principalArn: apigw.AccessLogField.contextIdentityUserArn(),
    userId: apigw.AccessLogField.contextAuthorizerClaims('sub'),
    clientId: apigw.AccessLogField.contextAuthorizerClaims('aud'),
    errorType: apigw.AccessLogField.contextErrorResponseType(),
    wafStatus: apigw.AccessLogField.contextWafStatus(),
    xrayTraceId: apigw.AccessLogField.contextXrayTraceId(),
    tlsVersion: '$context.tlsVersion',
  }),
);

export class ClinicalApi extends Construct {
  readonly restApi: apigw.RestApi;
  private readonly requestValidator: apigw.RequestValidator;
  private readonly props: ClinicalApiProps;
  private authorizer: apigw.CognitoUserPoolsAuthorizer | undefined;
  private readonly integrations = new Map<lambda.IFunction, apigw.LambdaIntegration>();
  private readonly routeThrottles: apigw.CfnStage.MethodSettingProperty[] = [];

  constructor(scope: Construct, id: string, props: ClinicalApiProps) {
    super(scope, id);
    this.props = props;
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    const isPrivate = props.endpointType === 'PRIVATE';

    this.restApi = new apigw.RestApi(this, 'RestApi', {
      description: props.description,
      endpointConfiguration: {
        types: [isPrivate ? apigw.EndpointType.PRIVATE : apigw.EndpointType.REGIONAL],
        vpcEndpoints: isPrivate && props.privateEndpoint ? [props.privateEndpoint] : undefined,
      },
      policy: apiResourcePolicy(props.authorization, isPrivate ? props.privateEndpoint : undefined),
      // API Gateway writes access and execution logs through an account-level role, set once in the Security
      // stack (two APIs each creating it would race, and a stage created before it fails).
      cloudWatchRole: false,
      deployOptions: {
        stageName: props.stageName,
        description: 'Routes realized from the topology',
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: ACCESS_LOG_FORMAT,
        tracingEnabled: true,
        metricsEnabled: true,
        // Execution logs at ERROR only, and never data trace: that would log request and response bodies (PHI).
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        throttlingRateLimit: props.throttle.rateLimit,
        throttlingBurstLimit: props.throttle.burstLimit,
        cachingEnabled: false,
      },
    });
    // The legacy TLS_1_2 policy: clients must negotiate TLS 1.2 or newer (HIPAA 164.312(e) transmission security).
    (this.restApi.node.defaultChild as apigw.CfnRestApi).securityPolicy = 'TLS_1_2';

    // Per-route limits are appended to the stage-wide method settings when the template is produced.
    const cfnStage = this.restApi.deploymentStage.node.defaultChild as apigw.CfnStage;
    const stageSettings = cfnStage.methodSettings;
    cfnStage.methodSettings = Lazy.any({
      produce: () => [...(Array.isArray(stageSettings) ? stageSettings : []), ...this.routeThrottles],
    });

    this.restApi.deploymentStage.node.addDependency(props.accountLogging);

    this.addExecutionLogGroup(props);
    this.acknowledgeStageFindings();

    this.requestValidator = this.restApi.addRequestValidator('RequestValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    addGatewayErrorResponses(this.restApi);
  }

  /** The stage the firewall protects. */
  get stage(): apigw.Stage {
    return this.restApi.deploymentStage;
  }

  /**
   * Adds one topology route: authorized by Cognito or IAM as the API is, unless the topology declares it
   * `auth: 'none'` (which an IAM API does not serve).
   */
  addRoute(route: RouteSpec, handler: lambda.IFunction, functionName: string): apigw.Method {
    const { authorization } = this.props;
    if (route.auth === 'none' && authorization.kind === 'iam') {
      throw new Error(`${route.method} ${route.path} needs no sign-in and belongs on the staff API only`);
    }
    const resource = this.restApi.root.resourceForPath(route.path);
    const method = resource.addMethod(route.method, this.integrationFor(handler), {
      requestValidator: this.requestValidator,
      ...(route.auth === 'none'
        ? { authorizationType: apigw.AuthorizationType.NONE }
        : authorization.kind === 'iam'
          ? { authorizationType: apigw.AuthorizationType.IAM }
          : {
              authorizationType: apigw.AuthorizationType.COGNITO,
              authorizer: this.userAuthorizer(authorization.userPool),
            }),
    });
    if (authorization.kind === 'iam') {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason:
          `${route.method} ${route.path} is on the integration API: server-to-server callers sign with IAM (SigV4) ` +
          'and the resource policy admits only the configured principals; Cognito user pools are for people.',
      });
    }
    if (route.auth === 'none') {
      const reason = route.path.startsWith('/v1/public/')
        ? `${route.method} ${route.path} of function ${functionName} is the public patient FAQ: it answers only from ` +
          'public documents, refuses any message containing PHI or a clinical question before anything is stored ' +
          `or sent to a model, and is throttled to ${route.throttle?.rateLimit ?? 0} requests per second.`
        : `${route.method} ${route.path} of function ${functionName} is declared auth: 'none' in infra/topology; ` +
          'the topology allows that for read-only liveness routes that return no PHI.';
      for (const id of ['AwsSolutions-APIG4', 'AwsSolutions-COG4']) Validations.of(method).acknowledge({ id, reason });
    }
    if (route.throttle) {
      this.routeThrottles.push({
        // Method settings name a resource path with its slashes escaped as ~1.
        resourcePath: `/${route.path.replace(/\//g, '~1')}`,
        httpMethod: route.method,
        throttlingRateLimit: route.throttle.rateLimit,
        throttlingBurstLimit: route.throttle.burstLimit,
      });
    }
    return method;
  }

  /** One integration per function; `allowTestInvoke: false` keeps the console's test path out of the permissions. */
  private integrationFor(handler: lambda.IFunction): apigw.LambdaIntegration {
    let integration = this.integrations.get(handler);
    if (!integration) {
      integration = new apigw.LambdaIntegration(handler, { allowTestInvoke: false });
      this.integrations.set(handler, integration);
    }
    return integration;
  }

  /** Created on first use: an authorizer attached to no method fails synthesis. */
  private userAuthorizer(userPool: cognito.IUserPool): apigw.CognitoUserPoolsAuthorizer {
    this.authorizer ??= new apigw.CognitoUserPoolsAuthorizer(this, 'StaffAuthorizer', {
      cognitoUserPools: [userPool],
      identitySource: apigw.IdentitySource.header('Authorization'),
    });
    return this.authorizer;
  }

  /**
   * API Gateway creates `API-Gateway-Execution-Logs_<api id>/<stage>` on first error, unencrypted and kept forever;
   * creating it first gives it the logs key and the configured retention.
   */
  private addExecutionLogGroup(props: ClinicalApiProps): void {
    const executionLogs = new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.restApi.restApiId}/${props.stageName}`,
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.restApi.deploymentStage.node.addDependency(executionLogs);
  }

  private acknowledgeStageFindings(): void {
    const stage = this.restApi.deploymentStage;
    const clientCertificate =
      'Client certificates let an HTTP backend verify API Gateway; every integration here is a Lambda proxy invoked ' +
      'through IAM, so there is no HTTP backend to present one to.';
    Validations.of(stage).acknowledge({ id: 'HIPAA.Security-APIGWSSLEnabled', reason: clientCertificate });
    Validations.of(stage).acknowledge({ id: 'NIST.800.53.R5-APIGWSSLEnabled', reason: clientCertificate });
    const cache =
      'Responses are per-caller and can contain PHI; caching them in API Gateway could serve one user another ' +
      "user's data, so the stage cache stays off.";
    Validations.of(stage).acknowledge({ id: 'HIPAA.Security-APIGWCacheEnabledAndEncrypted', reason: cache });
    Validations.of(stage).acknowledge({ id: 'NIST.800.53.R5-APIGWCacheEnabledAndEncrypted', reason: cache });
  }
}

/**
 * The resource policy: a PRIVATE API answers only requests arriving through the VPC's execute-api endpoint, and an
 * IAM API only the configured principals (an explicit deny, so no other identity policy in the account can widen it).
 */
function apiResourcePolicy(
  authorization: ApiAuthorization,
  privateEndpoint: ec2.IInterfaceVpcEndpoint | undefined,
): iam.PolicyDocument | undefined {
  if (authorization.kind === 'cognito' && !privateEndpoint) return undefined;
  const invoke = {
    principals: [new iam.AnyPrincipal()],
    actions: ['execute-api:Invoke'],
    resources: ['execute-api:/*'],
  };
  const principalArns = authorization.kind === 'iam' ? [...authorization.principalArns] : undefined;
  const statements = [
    new iam.PolicyStatement({
      ...invoke,
      effect: iam.Effect.ALLOW,
      conditions: {
        ...(privateEndpoint ? { StringEquals: { 'aws:SourceVpce': privateEndpoint.vpcEndpointId } } : {}),
        ...(principalArns ? { ArnLike: { 'aws:PrincipalArn': principalArns } } : {}),
      },
    }),
  ];
  if (principalArns) {
    statements.push(
      new iam.PolicyStatement({
        ...invoke,
        effect: iam.Effect.DENY,
        conditions: { ArnNotLike: { 'aws:PrincipalArn': principalArns } },
      }),
    );
  }
  return new iam.PolicyDocument({ statements });
}
