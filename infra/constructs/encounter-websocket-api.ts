/**
 * The encounter WebSocket API, realized from the topology's socket routes: a REQUEST authorizer on `$connect` that
 * verifies the Cognito ID token offered as the `bearer.<JWT>` subprotocol, one Lambda proxy integration per route
 * (two-way routes return the function's reply as the route response: the functions sit in isolated subnets and
 * cannot reach `@connections`, so nothing is pushed), a throttled stage with encrypted access logs (ids and status
 * only: no message body), and the `connections:url` capability, which names this API and so is granted here.
 */
import { CfnOutput, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, type IDependable } from 'constructs';
import { ENV } from '../../shared/runtime/environment-names.ts';
import type { Topology } from '../topology/types.ts';
import type { HardenedFunction } from './hardened-function.ts';

export interface EncounterWebSocketApiProps {
  readonly description: string;
  readonly topology: Topology;
  /** The topology's functions by name; those with socket routes must be in this construct's stack. */
  readonly functions: Readonly<Record<string, HardenedFunction>>;
  readonly userPool: cognito.IUserPool;
  readonly stageName: string;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** API Gateway's account logging role, created in an earlier stack: the stage's access logging needs it first. */
  readonly accountLogging: IDependable;
}

const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  connectionId: '$context.connectionId',
  routeKey: '$context.routeKey',
  eventType: '$context.eventType',
  status: '$context.status',
  integrationStatus: '$context.integrationStatus',
  authorizerStatus: '$context.authorizer.status',
  requestTime: '$context.requestTimeEpoch',
  sourceIp: '$context.identity.sourceIp',
});

export class EncounterWebSocketApi extends Construct {
  readonly api: apigwv2.WebSocketApi;
  readonly stage: apigwv2.WebSocketStage;

  constructor(scope: Construct, id: string, props: EncounterWebSocketApiProps) {
    super(scope, id);
    this.api = new apigwv2.WebSocketApi(this, 'Api', {
      description: props.description,
      routeSelectionExpression: '$request.body.action',
    });

    const authorizers = Object.entries(props.topology.functions).filter(([, spec]) => spec.socketAuthorizer);
    const [authorizerName] = authorizers[0] ?? [];
    const authorizerFunction = authorizerName ? props.functions[authorizerName] : undefined;
    if (authorizers.length !== 1 || !authorizerFunction) {
      throw new Error('The topology must declare exactly one socket authorizer, in the stack of the socket API');
    }
    authorizerFunction.addEnvironment(ENV.socketUserPoolId, props.userPool.userPoolId);
    const authorizer = new WebSocketLambdaAuthorizer('EncounterSocketAuthorizer', authorizerFunction.function, {
      // The token travels as a subprotocol, never in the query string that access logs would keep.
      identitySource: ['route.request.header.Sec-WebSocket-Protocol', 'route.request.querystring.encounterId'],
    });

    const logGroup = new logs.LogGroup(this, 'AccessLogs', {
      encryptionKey: props.logsKey,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.stage = new apigwv2.WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: props.stageName,
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(logGroup),
        format: apigw.AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });
    this.stage.node.addDependency(props.accountLogging);

    new CfnOutput(this, 'SocketUrl', { value: this.stage.url });

    const stack = Stack.of(this);
    for (const [name, spec] of Object.entries(props.topology.functions)) {
      const capabilities = spec.capabilities ?? [];
      const routes = spec.socketRoutes ?? [];
      if (routes.length === 0 && !capabilities.includes('connections:url')) continue;
      const fn = props.functions[name];
      if (!fn) throw new Error(`Function ${name} is missing for the encounter socket`);
      if (Stack.of(fn) !== stack) {
        throw new Error(`Function ${name} must be in the stack of the encounter socket API (${stack.stackName})`);
      }
      for (const route of routes) {
        const integration = new WebSocketLambdaIntegration(`${name}Integration`, fn.function);
        if (route.respond && (route.routeKey === '$connect' || route.routeKey === '$disconnect')) {
          throw new Error(`Socket route ${route.routeKey} of ${name} cannot respond: only message routes can`);
        }
        const routed = this.api.addRoute(route.routeKey, {
          integration,
          ...(route.routeKey === '$connect' ? { authorizer } : {}),
          // routeResponseSelectionExpression '$default' and a `$default` route response: API Gateway sends the
          // proxy integration's returned body to the client.
          ...(route.respond ? { returnResponse: true } : {}),
        });
        if (route.routeKey !== '$connect') {
          Validations.of(routed).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason:
              'API Gateway authorizes a WebSocket connection once, on $connect (Lambda authorizer verifying the ' +
              `Cognito token); ${route.routeKey} runs on that connection, and its handler acts only for the ` +
              'clinician the connection was bound to at $connect.',
          });
        }
      }
      if (capabilities.includes('connections:url')) {
        fn.addEnvironment(ENV.encounterSocketUrl, this.stage.url);
      }
    }
  }
}
