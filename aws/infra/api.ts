import { resolve } from 'node:path';
import { Arn, ArnFormat, Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { API_ROUTE_KEYS, ROUTE_THROTTLE, type ApiRouteKey } from '../../core/api/wire';
import { API_BUNDLE, type LambdaBundle } from './lambda-bundles';

const POSTGRES_PORT = 5432;
const HTTPS_PORT = 443;

/** The stage's throttling: core/api/wire.ts's ROUTE_THROTTLE, which the local gateway applies too. */
export const API_THROTTLE: {
  default: apigw.ThrottleSettings;
  routes: Partial<Record<ApiRouteKey, apigw.ThrottleSettings>>;
} = ROUTE_THROTTLE;

/**
 * The access log, one JSON object a request. Never a header (the bearer token is one), never a
 * claim, never a body. `$context.error.messageString` is already quoted and escaped.
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '"$context.requestId"',
  routeKey: '"$context.routeKey"',
  status: '"$context.status"',
  ip: '"$context.identity.sourceIp"',
  latency: '"$context.responseLatency"',
  responseLength: '"$context.responseLength"',
  error: '$context.error.messageString',
  authorizerError: '"$context.authorizer.error"',
  integrationError: '"$context.integrationErrorMessage"',
} as const;

const accessLogFormat = () =>
  `{${Object.entries(ACCESS_LOG_FIELDS)
    .map(([name, value]) => `"${name}":${value}`)
    .join(',')}}`;

/** A NodejsFunction built with a bundle's options (what the bundle tests build the same way). */
export function bundledFunction(
  scope: Construct,
  id: string,
  root: string,
  bundle: LambdaBundle,
  props: Omit<nodejs.NodejsFunctionProps, 'entry' | 'bundling' | 'runtime' | 'handler'>,
): nodejs.NodejsFunction {
  return new nodejs.NodejsFunction(scope, id, {
    entry: resolve(root, bundle.entry),
    projectRoot: root,
    depsLockFilePath: resolve(root, 'package-lock.json'),
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    ...props,
    bundling: {
      forceDockerBundling: false,
      externalModules: [...bundle.externalModules],
      format: nodejs.OutputFormat.ESM,
      target: bundle.target,
      minify: bundle.minify,
      mainFields: [...bundle.mainFields],
      banner: bundle.banner,
      sourceMap: false,
    },
  });
}

export interface MessageApiProps {
  /** The repository root, for the Lambda's entry. */
  root: string;
  vpc: ec2.IVpc;
  table: dynamodb.ITable;
  indexArn: string;
  userPool: cognito.IUserPool;
  client: cognito.IUserPoolClient;
  database: rds.DatabaseInstance;
  databaseSecret: secretsmanager.ISecret;
  databaseName: string;
  /** The secret's user, whom the Lambda signs in as with an IAM token. */
  databaseUser: string;
}

/**
 * The public message API: an HTTP API with Cognito's JWT authorizer in front of one Lambda that
 * runs core/'s services, reaching the directory through RDS Proxy and AWS services through VPC
 * endpoints (the isolated subnets have no NAT and no route out).
 */
export class MessageApi extends Construct {
  readonly url: string;
  readonly cursorSecret: secretsmanager.Secret;
  readonly proxy: rds.DatabaseProxy;

  constructor(scope: Construct, id: string, props: MessageApiProps) {
    super(scope, id);
    const { vpc, table, database } = props;
    const isolated: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };

    // ---- Network. The isolated subnets route nowhere but the VPC and the gateway endpoint, so
    // HTTPS "anywhere" reaches only the endpoints below and DynamoDB; a narrower rule would need
    // DynamoDB's prefix list id, which only a lookup (credentials at synth) can give.
    const lambdaGroup = new ec2.SecurityGroup(this, 'LambdaGroup', {
      vpc,
      description: 'Message API Lambda: HTTPS to the VPC endpoints and DynamoDB, PostgreSQL to the proxy',
      allowAllOutbound: false,
    });
    lambdaGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(HTTPS_PORT), 'VPC endpoints and DynamoDB');
    const endpointGroup = new ec2.SecurityGroup(this, 'EndpointGroup', {
      vpc,
      description: 'Interface endpoints: HTTPS from the message API Lambda only',
      allowAllOutbound: false,
    });
    endpointGroup.connections.allowFrom(lambdaGroup, ec2.Port.tcp(HTTPS_PORT), 'HTTPS from the message API');
    vpc.addGatewayEndpoint('DynamoDbEndpoint', {
      service: ec2.GatewayVpcEndpointAwsService.DYNAMODB,
      subnets: [isolated],
    });
    // ~$7.30 a month per endpoint and AZ. cognito-idp: the Lambda calls GetUser with the
    // person's access token to link a first sign-in. Cognito's PrivateLink serves the user pool
    // API only for pools without a domain (a domain forces the public path); ours has none, and
    // adding one (managed login) would break this.
    const interfaces = {
      SecretsManagerEndpoint: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      CognitoEndpoint: ec2.InterfaceVpcEndpointAwsService.COGNITO_IDP,
    };
    for (const [endpointId, service] of Object.entries(interfaces)) {
      vpc.addInterfaceEndpoint(endpointId, {
        service,
        subnets: isolated,
        privateDnsEnabled: true,
        securityGroups: [endpointGroup],
        open: false,
      });
    }

    // ---- The directory through RDS Proxy: Lambda instances come and go by the hundred and each
    // would open its own PostgreSQL connection (a t4g.micro allows ~80); the proxy pools and
    // reuses them across instances. And with IAM auth the Lambda holds no password: it signs a
    // 15-minute token with its role; only the proxy reads the database secret.
    const proxyGroup = new ec2.SecurityGroup(this, 'ProxyGroup', {
      vpc,
      description: 'RDS Proxy: PostgreSQL from the message API Lambda only',
      allowAllOutbound: false,
    });
    this.proxy = new rds.DatabaseProxy(this, 'DirectoryProxy', {
      proxyTarget: rds.ProxyTarget.fromInstance(database),
      secrets: [props.databaseSecret],
      vpc,
      vpcSubnets: isolated,
      securityGroups: [proxyGroup],
      iamAuth: true,
      requireTLS: true,
      // The rest is left to the team's own sessions through the bastion.
      maxConnectionsPercent: 80,
    });
    // The proxy opens the database's group to its own (and its group's egress to the database)
    // on the instance's port by itself: "Allow connections to the database Instance from the Proxy".
    proxyGroup.connections.allowFrom(
      lambdaGroup,
      ec2.Port.tcp(POSTGRES_PORT),
      'PostgreSQL from the message API',
    );

    // ---- The cursor secret: cursors are signed with a secret the stack keeps, not one per
    // desktop; RETAIN, so a redeploy does not invalidate every cursor in flight.
    this.cursorSecret = new secretsmanager.Secret(this, 'CursorSecret', {
      description: 'Signs the message API cursors; read by the message API Lambda only',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // ---- The Lambda and its role, by hand: exactly the calls it makes.
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const proxyId = Stack.of(this).splitArn(
      this.proxy.dbProxyArn,
      ArnFormat.COLON_RESOURCE_NAME,
    ).resourceName;
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description:
        'Message API: the table for core/messages, the cursor secret, the directory through the proxy',
      inlinePolicies: {
        MessageApi: new iam.PolicyDocument({ statements: this.statements(props, logGroup, proxyId) }),
      },
    });
    const fn = bundledFunction(this, 'Function', props.root, API_BUNDLE, {
      memorySize: 512,
      timeout: Duration.seconds(10),
      role,
      logGroup,
      vpc,
      vpcSubnets: isolated,
      securityGroups: [lambdaGroup],
      environment: {
        TABLE_NAME: table.tableName,
        CURSOR_SECRET_ARN: this.cursorSecret.secretArn,
        DB_PROXY_ENDPOINT: this.proxy.endpoint,
        DB_NAME: props.databaseName,
        DB_USER: props.databaseUser,
        USER_POOL_ID: props.userPool.userPoolId,
        USER_POOL_CLIENT_ID: props.client.userPoolClientId,
      },
    });

    // ---- The HTTP API: every route behind the JWT authorizer, no $default route, no CORS (the
    // caller is a desktop app, not a web page).
    const authorizer = new HttpJwtAuthorizer(
      'Cognito',
      `https://cognito-idp.${Aws.REGION}.amazonaws.com/${props.userPool.userPoolId}`,
      {
        // Cognito's access tokens carry client_id, not aud; API Gateway checks either.
        jwtAudience: [props.client.userPoolClientId],
        identitySource: ['$request.header.Authorization'],
      },
    );
    const api = new apigw.HttpApi(this, 'Http', {
      apiName: `${Stack.of(this).stackName}-messages`,
      description: 'Cruddur message API',
      createDefaultStage: false,
      defaultAuthorizer: authorizer,
      disableExecuteApiEndpoint: false,
    });
    const integration = new HttpLambdaIntegration('Lambda', fn, {
      payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
    });
    const routes = API_ROUTE_KEYS.flatMap((routeKey) => {
      const [method, path] = routeKey.split(' ') as [keyof typeof apigw.HttpMethod, string];
      return api.addRoutes({ path, methods: [apigw.HttpMethod[method]], integration, authorizer });
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      // Source IPs are personal data: two weeks is enough to look into abuse.
      retention: logs.RetentionDays.TWO_WEEKS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stage = new apigw.HttpStage(this, 'Stage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE.default,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(accessLogFormat()),
      },
    });
    const cfnStage = stage.node.defaultChild as apigw.CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      Object.entries(API_THROTTLE.routes).map(([routeKey, limits]) => [
        routeKey,
        { ThrottlingRateLimit: limits.rateLimit, ThrottlingBurstLimit: limits.burstLimit },
      ]),
    );
    // A stage naming a route in its settings fails to deploy before that route exists.
    for (const route of routes) stage.node.addDependency(route);
    this.url = stage.url;
  }

  private statements(props: MessageApiProps, logGroup: logs.ILogGroup, proxyId: string | undefined) {
    return [
      // core/messages: GetItem (a message before its put), Query (lists, reads, members), PutItem
      // (messages; and the puts of Pattern D's TransactWriteItems, which IAM authorizes as its
      // parts), UpdateItem (read marks). No Scan, no DeleteItem, no batch.
      new iam.PolicyStatement({
        sid: 'Messages',
        actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [props.table.tableArn],
      }),
      new iam.PolicyStatement({
        sid: 'GroupIndex',
        actions: ['dynamodb:Query'],
        resources: [props.indexArn],
      }),
      new iam.PolicyStatement({
        sid: 'CursorSecret',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.cursorSecret.secretArn],
      }),
      // The proxy's grantConnect would say the same in a separate policy; the role keeps one.
      new iam.PolicyStatement({
        sid: 'Directory',
        actions: ['rds-db:connect'],
        resources: [
          Arn.format(
            {
              service: 'rds-db',
              resource: 'dbuser',
              resourceName: `${proxyId}/${props.databaseUser}`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            },
            Stack.of(this),
          ),
        ],
      }),
      new iam.PolicyStatement({
        sid: 'Logs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
      // What AWSLambdaVPCAccessExecutionRole grants for the function's network interfaces, without
      // its logs:* on every log group. EC2 allows the Describe calls on "*" only, and Lambda
      // manages the interfaces (their ids unknown here) with this role.
      new iam.PolicyStatement({
        sid: 'NetworkInterfaces',
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        resources: ['*'],
      }),
    ];
  }
}
