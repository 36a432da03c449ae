/** The REST API: Cognito-authorized routes, request validation, access and error logs, TLS 1.2 and throttling. */
import { Lazy, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteSpec } from '../topology/types.ts';
import { addGatewayErrorResponses } from './gateway-error-responses.ts';

export interface ClinicalApiProps {
  readonly description: string;
  readonly stageName: string;
  /** REGIONAL (public, behind WAF) or PRIVATE (only through `privateEndpoint`). */
  readonly endpointType: 'REGIONAL' | 'PRIVATE';
  readonly privateEndpoint: ec2.IInterfaceVpcEndpoint | undefined;
  readonly userPool: cognito.IUserPool;
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
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
      policy: isPrivate && props.privateEndpoint ? privateApiPolicy(props.privateEndpoint) : undefined,
      // API Gateway writes access and execution logs through an account-level role; CDK creates and keeps it.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
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

    this.addExecutionLogGroup(props);
    this.acknowledgeStageFindings();
    Validations.of(this.restApi.node.findChild('CloudWatchRole')).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        "API Gateway's account-level logging role must carry AmazonAPIGatewayPushToCloudWatchLogs, the policy AWS " +
        'documents and maintains for it; the role trusts only apigateway.amazonaws.com.',
    });

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

  /** Adds one topology route: Cognito-authorized unless the topology declares it `auth: 'none'`. */
  addRoute(route: RouteSpec, handler: lambda.IFunction, functionName: string): apigw.Method {
    const resource = this.restApi.root.resourceForPath(route.path);
    const method = resource.addMethod(route.method, this.integrationFor(handler), {
      requestValidator: this.requestValidator,
      ...(route.auth === 'user'
        ? { authorizationType: apigw.AuthorizationType.COGNITO, authorizer: this.userAuthorizer() }
        : { authorizationType: apigw.AuthorizationType.NONE }),
    });
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
  private userAuthorizer(): apigw.CognitoUserPoolsAuthorizer {
    this.authorizer ??= new apigw.CognitoUserPoolsAuthorizer(this, 'StaffAuthorizer', {
      cognitoUserPools: [this.props.userPool],
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

/** A PRIVATE API answers only requests arriving through the VPC's execute-api endpoint. */
function privateApiPolicy(endpoint: ec2.IInterfaceVpcEndpoint): iam.PolicyDocument {
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        effect: iam.Effect.ALLOW,
        principals: [new iam.AnyPrincipal()],
        actions: ['execute-api:Invoke'],
        resources: ['execute-api:/*'],
        conditions: { StringEquals: { 'aws:SourceVpce': endpoint.vpcEndpointId } },
      }),
    ],
  });
}
