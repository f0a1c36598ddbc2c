import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_THROTTLE } from '../../aws/infra/api';
import { createApp } from '../../aws/infra/create-app';
import { API_ROUTE_KEYS, API_ROUTES } from '../../core/api/wire';
import { tableDefinition } from '../../core/table';
import { passwordProblems } from '../../shared/password-rules';
import { MESSAGE_GROUP_INDEX } from '../../shared/model';

/**
 * The synthesized CloudFormation of aws/infra, read with aws-cdk-lib/assertions. The bundling
 * context skips esbuild (tests/integration/pattern-e-lambda.test.ts builds the bundle), and the
 * built-in template validation is off: neither is what these assertions are about. The feature
 * flags are cdk.json's, as the CLI gives them to the app, so this is the template that deploys.
 */
const CDK_JSON = JSON.parse(readFileSync('cdk.json', 'utf8')) as { context: Record<string, unknown> };
type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };

let template: Template;
let resources: Record<string, Resource>;

function synth(context: Record<string, unknown> = {}): Template {
  const app = new App({
    context: { ...CDK_JSON.context, 'aws:cdk:bundling-stacks': [], ...context },
    builtinCloudFormationValidation: false,
  });
  return Template.fromStack(createApp(app).stack);
}

/** The resource of a type whose logical id begins with `id`: its logical id and body. */
function named(type: string, id: string): [string, Resource] {
  const found = Object.entries(resources).filter(([key, r]) => r.Type === type && key.startsWith(id));
  expect(
    found.map(([key]) => key),
    `${type} ${id}`,
  ).toHaveLength(1);
  return found[0]!;
}

/** The one resource of a type: its logical id and body. */
function only(type: string): [string, Resource] {
  const found = Object.entries(resources).filter(([, resource]) => resource.Type === type);
  expect(
    found.map(([id]) => id),
    type,
  ).toHaveLength(1);
  return found[0]!;
}

const getAtt = (id: string, attribute: string) => ({ 'Fn::GetAtt': [id, attribute] });

/** The directory's generated secret (the other secret is the message API's cursor secret). */
const directorySecret = () => named('AWS::SecretsManager::Secret', 'cruddurDirectorySecret');

/** The ingress rules into a security group, as separate resources or inline. */
function ingressTo(groupId: string): Record<string, unknown>[] {
  expect(resources[groupId]!.Properties['SecurityGroupIngress']).toBeUndefined();
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress')
    .map((r) => r.Properties)
    .filter((rule) => JSON.stringify(rule['GroupId']) === JSON.stringify(getAtt(groupId, 'GroupId')));
}

beforeAll(() => {
  template = synth();
  resources = template.toJSON()['Resources'] as Record<string, Resource>;
});

describe('the messages table', () => {
  it('is core/table.ts: the same attributes, keys and GSI', () => {
    const [, table] = only('AWS::DynamoDB::Table');
    const definition = tableDefinition('cruddur-messages');
    const sorted = <T extends { AttributeName?: string }>(list: T[] | undefined) =>
      [...(list ?? [])].sort((a, b) => String(a.AttributeName).localeCompare(String(b.AttributeName)));
    expect(table.Properties['TableName']).toBe(definition.TableName);
    expect(sorted(table.Properties['AttributeDefinitions'] as [])).toEqual(
      sorted(definition.AttributeDefinitions),
    );
    expect(table.Properties['KeySchema']).toEqual(definition.KeySchema);
    expect(table.Properties['GlobalSecondaryIndexes']).toEqual(definition.GlobalSecondaryIndexes);
    expect(table.Properties['BillingMode']).toBe(definition.BillingMode);
    expect(table.Properties['StreamSpecification']).toEqual({
      StreamViewType: definition.StreamSpecification?.StreamViewType,
    });
  });

  it('has the GSI message-group-sk-index (ALL), NEW_IMAGE, PITR, deletion protection and RETAIN', () => {
    const [, table] = only('AWS::DynamoDB::Table');
    expect(table).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'message-group-sk-index',
            KeySchema: [
              { AttributeName: 'message_group_uuid', KeyType: 'HASH' },
              { AttributeName: 'sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      },
    });
    expect(table).toMatchObject({ UpdateReplacePolicy: 'Retain' });
    // A plain table, what ddb:schema-load makes and `cdk import` can adopt; not a GlobalTable.
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
  });

  it('takes its name and the stack name from the context', () => {
    const named = synth({ stackName: 'cruddur-test', tableName: 'test-messages' });
    named.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'test-messages' });
    expect(() => synth({ tableName: 'no spaces allowed' })).toThrow(/context tableName/);
  });
});

describe('Pattern E', () => {
  it('is a Node.js 22 Lambda on the table stream, INSERTs only, with failures reported, bisected, bounded and dead-lettered', () => {
    const [tableId] = only('AWS::DynamoDB::Table');
    const [functionId, fn] = named('AWS::Lambda::Function', 'PatternE');
    const [queueId, queue] = only('AWS::SQS::Queue');
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Environment: { Variables: { CRUDDUR_TABLE: { Ref: tableId } } },
    });
    expect(queue.Properties['SqsManagedSseEnabled']).toBe(true);
    const [, mapping] = only('AWS::Lambda::EventSourceMapping');
    expect(mapping.Properties).toEqual({
      FunctionName: { Ref: functionId },
      EventSourceArn: getAtt(tableId, 'StreamArn'),
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      MaximumRecordAgeInSeconds: 3600,
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'] }) }] },
      DestinationConfig: { OnFailure: { Destination: getAtt(queueId, 'Arn') } },
    });
  });

  it("has a role with exactly Pattern E's calls: no Scan, no wildcard actions, nothing else attached", () => {
    const [tableId] = only('AWS::DynamoDB::Table');
    const [queueId] = only('AWS::SQS::Queue');
    const [, fn] = named('AWS::Lambda::Function', 'PatternE');
    const roleId = (fn.Properties['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const role = resources[roleId]!;
    const [logGroupId] = named('AWS::Logs::LogGroup', 'PatternELogs');
    expect(role.Properties['ManagedPolicyArns']).toBeUndefined();
    expect(role.Properties['Policies']).toEqual([
      {
        PolicyName: 'PatternE',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'GroupItems',
              Effect: 'Allow',
              Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
              Resource: getAtt(tableId, 'Arn'),
            },
            {
              Sid: 'GroupIndex',
              Effect: 'Allow',
              Action: 'dynamodb:Query',
              Resource: { 'Fn::Join': ['', [getAtt(tableId, 'Arn'), `/index/${MESSAGE_GROUP_INDEX}`]] },
            },
            {
              Sid: 'ReadStream',
              Effect: 'Allow',
              Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
              Resource: getAtt(tableId, 'StreamArn'),
            },
            { Sid: 'ListStreams', Effect: 'Allow', Action: 'dynamodb:ListStreams', Resource: '*' },
            {
              Sid: 'DeadLetters',
              Effect: 'Allow',
              Action: 'sqs:SendMessage',
              Resource: getAtt(queueId, 'Arn'),
            },
            {
              Sid: 'Logs',
              Effect: 'Allow',
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              Resource: getAtt(logGroupId, 'Arn'),
            },
          ],
        },
      },
    ]);
    // No other policy is attached to the role (a grant would add an AWS::IAM::Policy naming it).
    const attached = Object.values(resources).filter(
      (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties['Roles']).includes(roleId),
    );
    expect(attached).toEqual([]);
  });
});

/** What Cognito's policy accepts (its symbols are a fixed list; the sign-up screen uses these too). */
function cognitoAccepts(policy: Record<string, unknown>, password: string): boolean {
  return (
    password.length >= Number(policy['MinimumLength']) &&
    (!policy['RequireLowercase'] || /[a-z]/.test(password)) &&
    (!policy['RequireUppercase'] || /[A-Z]/.test(password)) &&
    (!policy['RequireNumbers'] || /\d/.test(password)) &&
    (!policy['RequireSymbols'] || /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/.test(password))
  );
}

describe('the user pool', () => {
  it('signs in by a case-insensitive username, requires and verifies email, has name and an immutable preferred_username', () => {
    const [, pool] = only('AWS::Cognito::UserPool');
    expect(pool.DeletionPolicy).toBe('Retain');
    expect(pool.Properties['UsernameAttributes']).toBeUndefined();
    expect(pool.Properties['AliasAttributes']).toBeUndefined();
    expect(pool.Properties['UsernameConfiguration']).toEqual({ CaseSensitive: false });
    expect(pool.Properties['AutoVerifiedAttributes']).toEqual(['email']);
    expect(pool.Properties['Schema']).toEqual(
      expect.arrayContaining([
        { Name: 'email', Mutable: true, Required: true },
        { Name: 'name', Mutable: true, Required: false },
        { Name: 'preferred_username', Mutable: false, Required: false },
      ]),
    );
  });

  it('has the password policy of the sign-up screen (shared/password-rules.ts)', () => {
    const [, pool] = only('AWS::Cognito::UserPool');
    const policy = (pool.Properties['Policies'] as { PasswordPolicy: Record<string, unknown> })
      .PasswordPolicy;
    expect(policy).toMatchObject({
      MinimumLength: 8,
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    const samples = [
      'Abcdef1!',
      'Abcde1!',
      'abcdef1!',
      'ABCDEF1!',
      'Abcdefg!',
      'Abcdefg1',
      'Correct-Horse-9',
      'longer password 1A?',
      '1234567890',
      '',
    ];
    for (const password of samples) {
      expect(cognitoAccepts(policy, password), password).toBe(passwordProblems(password).length === 0);
    }
  });

  it('has a public desktop client: password and SRP auth, refresh, OAuth off, explicit token validity, no preferred_username write', () => {
    const [poolId] = only('AWS::Cognito::UserPool');
    const [, client] = only('AWS::Cognito::UserPoolClient');
    expect(client.Properties).toMatchObject({
      UserPoolId: { Ref: poolId },
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: false,
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 43200,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect([...(client.Properties['ExplicitAuthFlows'] as string[])].sort()).toEqual([
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_PASSWORD_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
    expect(client.Properties['AllowedOAuthFlows']).toBeUndefined();
    expect(client.Properties['CallbackURLs']).toBeUndefined();
    // Sign-up writes email and name (core/auth/account-flows.ts); nothing else is writable.
    expect([...(client.Properties['WriteAttributes'] as string[])].sort()).toEqual(['email', 'name']);
  });
});

describe('the directory database', () => {
  it('is a small encrypted PostgreSQL, not public, in isolated subnets, snapshotted on deletion, credentials in Secrets Manager', () => {
    const [secretId] = directorySecret();
    const [subnetGroupId, subnetGroup] = only('AWS::RDS::DBSubnetGroup');
    const [, database] = only('AWS::RDS::DBInstance');
    expect(database.DeletionPolicy).toBe('Snapshot');
    expect(database.Properties).toMatchObject({
      Engine: 'postgres',
      DBInstanceClass: 'db.t4g.micro',
      AllocatedStorage: '20',
      StorageType: 'gp3',
      StorageEncrypted: true,
      PubliclyAccessible: false,
      MultiAZ: false,
      DBSubnetGroupName: { Ref: subnetGroupId },
    });
    expect(JSON.stringify(database.Properties['MasterUserPassword'])).toContain(secretId);
    // The subnets are the isolated ones: their route tables have no route at all.
    const subnetIds = (subnetGroup.Properties['SubnetIds'] as { Ref: string }[]).map(({ Ref }) => Ref);
    expect(subnetIds).toHaveLength(2);
    const routedSubnets = Object.values(resources)
      .filter((r) => r.Type === 'AWS::EC2::Route')
      .map((route) => JSON.stringify(route.Properties['RouteTableId']));
    for (const subnetId of subnetIds) {
      const association = Object.values(resources).find(
        (r) =>
          r.Type === 'AWS::EC2::SubnetRouteTableAssociation' &&
          JSON.stringify(r.Properties['SubnetId']) === JSON.stringify({ Ref: subnetId }),
      )!;
      expect(routedSubnets).not.toContain(JSON.stringify(association.Properties['RouteTableId']));
    }
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
  });

  it('admits 5432 only from the bastion and RDS Proxy; the bastion itself admits nothing', () => {
    const [databaseId, database] = only('AWS::RDS::DBInstance');
    const [, bastion] = only('AWS::EC2::Instance');
    const groupIds = (database.Properties['VPCSecurityGroups'] as { 'Fn::GetAtt': [string, string] }[]).map(
      (ref) => ref['Fn::GetAtt'][0],
    );
    expect(groupIds).toHaveLength(1);
    const [databaseGroupId] = groupIds as [string];
    // A public IPv4 (the agent dials out) and the bastion's group, on its one network interface.
    const [nic] = bastion.Properties['NetworkInterfaces'] as {
      AssociatePublicIpAddress: boolean;
      GroupSet: { 'Fn::GetAtt': [string, string] }[];
    }[];
    expect(nic!.AssociatePublicIpAddress).toBe(true);
    expect(nic!.GroupSet).toHaveLength(1);
    const bastionGroupId = nic!.GroupSet[0]!['Fn::GetAtt'][0];
    const [, proxy] = only('AWS::RDS::DBProxy');
    const proxyGroups = proxy.Properties['VpcSecurityGroupIds'];
    expect(proxyGroups).toEqual([
      getAtt(named('AWS::EC2::SecurityGroup', 'MessageApiProxyGroup')[0], 'GroupId'),
    ]);
    const instancePort = getAtt(only('AWS::RDS::DBInstance')[0], 'Endpoint.Port');
    expect(ingressTo(databaseGroupId)).toEqual([
      {
        IpProtocol: 'tcp',
        FromPort: 5432,
        ToPort: 5432,
        GroupId: getAtt(databaseGroupId, 'GroupId'),
        SourceSecurityGroupId: getAtt(bastionGroupId, 'GroupId'),
        Description: 'PostgreSQL from the Session Manager bastion',
      },
      {
        IpProtocol: 'tcp',
        // The instance's port (5432), as the proxy's target binding writes it.
        FromPort: instancePort,
        ToPort: instancePort,
        GroupId: getAtt(databaseGroupId, 'GroupId'),
        SourceSecurityGroupId: (proxyGroups as unknown[])[0],
        Description: 'Allow connections to the database Instance from the Proxy',
      },
    ]);
    expect(resources[databaseId]!.Properties['Port']).toBe('5432');
    expect(ingressTo(bastionGroupId)).toEqual([]);
    expect(resources[databaseGroupId]!.Properties['SecurityGroupIngress']).toBeUndefined();
    expect(resources[bastionGroupId]!.Properties['SecurityGroupIngress']).toBeUndefined();
    expect(bastion.Properties).toMatchObject({ InstanceType: 't4g.nano' });
    expect(bastion.Properties['KeyName']).toBeUndefined();
    expect(JSON.stringify(resources)).toContain('AmazonSSMManagedInstanceCore');
  });
});

describe('the team member policy', () => {
  it("allows the app's table calls, the database secret and the port forward to the bastion, nothing more", () => {
    const [tableId] = only('AWS::DynamoDB::Table');
    const [secretId] = directorySecret();
    const [bastionId] = only('AWS::EC2::Instance');
    const [, policy] = only('AWS::IAM::ManagedPolicy');
    const statements = (policy.Properties['PolicyDocument'] as { Statement: Record<string, unknown>[] })
      .Statement;
    expect(statements.map((s) => [s['Sid'], s['Action']])).toEqual([
      [
        'Messages',
        [
          'dynamodb:DescribeTable',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ],
      ],
      ['GroupIndex', 'dynamodb:Query'],
      ['DirectorySecret', 'secretsmanager:GetSecretValue'],
      ['PortForward', 'ssm:StartSession'],
      ['OwnSessions', ['ssm:ResumeSession', 'ssm:TerminateSession']],
    ]);
    expect(statements[0]!['Resource']).toEqual(getAtt(tableId, 'Arn'));
    // The secret's ARN as its attachment to the instance resolves it (the same secret).
    const attachmentId = (statements[2]!['Resource'] as { Ref: string }).Ref;
    expect(resources[attachmentId]).toMatchObject({
      Type: 'AWS::SecretsManager::SecretTargetAttachment',
      Properties: { SecretId: { Ref: secretId } },
    });
    const portForward = JSON.stringify(statements[3]!['Resource']);
    expect(portForward).toContain(bastionId);
    expect(portForward).toContain('document/AWS-StartPortForwardingSessionToRemoteHost');
    expect(statements[3]!['Condition']).toEqual({
      BoolIfExists: { 'ssm:SessionDocumentAccessCheck': 'true' },
    });
    expect(JSON.stringify(statements)).not.toMatch(/Scan|dynamodb:\*|cognito-idp|"\*"/);
  });
});

describe('the message API', () => {
  const apiFunction = () => named('AWS::Lambda::Function', 'MessageApiFunction');
  const group = (name: string) => named('AWS::EC2::SecurityGroup', `MessageApi${name}`);
  const isolatedSubnets = () => only('AWS::RDS::DBSubnetGroup')[1].Properties['SubnetIds'];
  const routeResources = () =>
    Object.entries(resources).filter(([, r]) => r.Type === 'AWS::ApiGatewayV2::Route');

  it('has exactly the routes of core/api/wire.ts, each behind the JWT authorizer, on one Lambda integration (payload 2.0)', () => {
    const [apiId, api] = only('AWS::ApiGatewayV2::Api');
    const [authorizerId] = only('AWS::ApiGatewayV2::Authorizer');
    const [integrationId, integration] = only('AWS::ApiGatewayV2::Integration');
    const [functionId] = apiFunction();
    const routes = routeResources().map(([, r]) => r.Properties);
    // No $default route, nothing the wire does not name.
    expect(routes.map((route) => route['RouteKey']).sort()).toEqual([...API_ROUTE_KEYS].sort());
    for (const route of routes) {
      expect(route, String(route['RouteKey'])).toEqual({
        ApiId: { Ref: apiId },
        RouteKey: route['RouteKey'],
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: authorizerId },
        Target: { 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] },
      });
    }
    expect(integration.Properties).toEqual({
      ApiId: { Ref: apiId },
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: getAtt(functionId, 'Arn'),
      PayloadFormatVersion: '2.0',
    });
    // A desktop app calls it: no CORS. The execute-api endpoint, no custom domain.
    expect(api.Properties['ProtocolType']).toBe('HTTP');
    expect(api.Properties['CorsConfiguration']).toBeUndefined();
    expect(api.Properties['DisableExecuteApiEndpoint']).toBe(false);
    template.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
    // API Gateway may invoke the Lambda on these routes' paths only.
    const permissions = Object.values(resources)
      .filter((r) => r.Type === 'AWS::Lambda::Permission')
      .filter(
        (r) => JSON.stringify(r.Properties['FunctionName']) === JSON.stringify(getAtt(functionId, 'Arn')),
      );
    expect(permissions.map((p) => p.Properties['Principal'])).toEqual(
      API_ROUTE_KEYS.map(() => 'apigateway.amazonaws.com'),
    );
    const sourcePaths = permissions.map((p) => {
      const [, parts] = (p.Properties['SourceArn'] as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
      expect(parts.at(-2)).toEqual({ Ref: apiId });
      return parts.at(-1);
    });
    expect(sourcePaths.sort()).toEqual(API_ROUTE_KEYS.map((key) => `/*/*${key.split(' ')[1]}`).sort());
  });

  it("has a JWT authorizer on the user pool's issuer and the desktop client, from the Authorization header", () => {
    const [apiId] = only('AWS::ApiGatewayV2::Api');
    const [, authorizer] = only('AWS::ApiGatewayV2::Authorizer');
    expect(authorizer.Properties).toEqual({
      ApiId: { Ref: apiId },
      AuthorizerType: 'JWT',
      Name: 'Cognito',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: only('AWS::Cognito::UserPoolClient')[0] }],
        Issuer: {
          'Fn::Join': [
            '',
            [
              'https://cognito-idp.',
              { Ref: 'AWS::Region' },
              '.amazonaws.com/',
              { Ref: only('AWS::Cognito::UserPool')[0] },
            ],
          ],
        },
      },
    });
  });

  it('deploys the $default stage automatically, logs each request as JSON without headers, and throttles the writes harder', () => {
    const [apiId] = only('AWS::ApiGatewayV2::Api');
    const [, stage] = only('AWS::ApiGatewayV2::Stage');
    const [accessLogsId, accessLogs] = named('AWS::Logs::LogGroup', 'MessageApiAccessLogs');
    expect(stage.Properties).toMatchObject({
      ApiId: { Ref: apiId },
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: getAtt(accessLogsId, 'Arn') },
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
    });
    expect(API_THROTTLE.default).toEqual({ rateLimit: 100, burstLimit: 200 });
    expect(accessLogs.Properties['RetentionInDays']).toBe(14);

    // The format is JSON once API Gateway fills it in: each variable read back by its field.
    const format = (stage.Properties['AccessLogSettings'] as { Format: string }).Format;
    const filled = format
      .replace(/"\$context\.([\w.]+)"/g, '"$1"')
      .replace(/\$context\.error\.messageString/g, '"error.messageString"');
    expect(JSON.parse(filled)).toEqual({
      requestId: 'requestId',
      routeKey: 'routeKey',
      status: 'status',
      ip: 'identity.sourceIp',
      latency: 'responseLatency',
      responseLength: 'responseLength',
      error: 'error.messageString',
      authorizerError: 'authorizer.error',
      integrationError: 'integrationErrorMessage',
    });
    expect(format).not.toMatch(/header|authorization|claims|body/i);

    // PUT message, POST conversations and POST read below the reads' default.
    const settings = stage.Properties['RouteSettings'] as Record<string, Record<string, number>>;
    expect(settings).toEqual({
      [API_ROUTES.sendMessage]: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
      [API_ROUTES.startConversation]: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
      [API_ROUTES.markRead]: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
    for (const [routeKey, limits] of Object.entries(API_THROTTLE.routes)) {
      expect(settings[routeKey]).toEqual({
        ThrottlingRateLimit: limits.rateLimit,
        ThrottlingBurstLimit: limits.burstLimit,
      });
    }
    // Settings naming a route fail to deploy before the route exists.
    const dependsOn = (stage as Resource & { DependsOn?: string[] }).DependsOn ?? [];
    expect(dependsOn).toEqual(expect.arrayContaining(routeResources().map(([id]) => id)));
  });

  it('runs a Node.js 22 Lambda in the isolated subnets with its own group and exactly its environment', () => {
    const [tableId] = only('AWS::DynamoDB::Table');
    const [, fn] = apiFunction();
    const [logsId, logGroup] = named('AWS::Logs::LogGroup', 'MessageApiLogs');
    const [lambdaGroupId, lambdaGroup] = group('LambdaGroup');
    const [, database] = only('AWS::RDS::DBInstance');
    const [, secret] = directorySecret();
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 10,
      LoggingConfig: { LogGroup: { Ref: logsId } },
      VpcConfig: { SubnetIds: isolatedSubnets(), SecurityGroupIds: [getAtt(lambdaGroupId, 'GroupId')] },
    });
    expect(logGroup.Properties['RetentionInDays']).toBe(30);
    const template = (secret.Properties['GenerateSecretString'] as { SecretStringTemplate: string })
      .SecretStringTemplate;
    expect(fn.Properties['Environment']).toEqual({
      Variables: {
        TABLE_NAME: { Ref: tableId },
        CURSOR_SECRET_ARN: { Ref: named('AWS::SecretsManager::Secret', 'MessageApiCursorSecret')[0] },
        DB_PROXY_ENDPOINT: getAtt(only('AWS::RDS::DBProxy')[0], 'Endpoint'),
        DB_NAME: database.Properties['DBName'],
        DB_USER: (JSON.parse(template) as { username: string }).username,
        USER_POOL_ID: { Ref: only('AWS::Cognito::UserPool')[0] },
        USER_POOL_CLIENT_ID: { Ref: only('AWS::Cognito::UserPoolClient')[0] },
      },
    });
    // Out: HTTPS (the isolated subnets reach only the endpoints and DynamoDB) and the proxy. In: nothing.
    expect(lambdaGroup.Properties['SecurityGroupEgress']).toEqual([
      {
        CidrIp: '0.0.0.0/0',
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        Description: 'VPC endpoints and DynamoDB',
      },
    ]);
    const egress = Object.values(resources)
      .filter((r) => r.Type === 'AWS::EC2::SecurityGroupEgress')
      .filter(
        (r) => JSON.stringify(r.Properties['GroupId']) === JSON.stringify(getAtt(lambdaGroupId, 'GroupId')),
      )
      .map((r) => [r.Properties['DestinationSecurityGroupId'], r.Properties['FromPort']]);
    expect(egress).toEqual(
      expect.arrayContaining([
        [getAtt(group('ProxyGroup')[0], 'GroupId'), 5432],
        [getAtt(group('EndpointGroup')[0], 'GroupId'), 443],
      ]),
    );
    expect(egress).toHaveLength(2);
    expect(ingressTo(lambdaGroupId)).toEqual([]);
  });

  it("has a role with exactly the API's calls: the table and its GSI, the cursor secret, rds-db:connect, its logs, its network interfaces", () => {
    const [tableId] = only('AWS::DynamoDB::Table');
    const [proxyId] = only('AWS::RDS::DBProxy');
    const [cursorId] = named('AWS::SecretsManager::Secret', 'MessageApiCursorSecret');
    const [logsId] = named('AWS::Logs::LogGroup', 'MessageApiLogs');
    const [, fn] = apiFunction();
    const roleId = (fn.Properties['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const role = resources[roleId]!;
    expect(role.Properties['ManagedPolicyArns']).toBeUndefined();
    expect(role.Properties['Policies']).toEqual([
      {
        PolicyName: 'MessageApi',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'Messages',
              Effect: 'Allow',
              Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
              Resource: getAtt(tableId, 'Arn'),
            },
            {
              Sid: 'GroupIndex',
              Effect: 'Allow',
              Action: 'dynamodb:Query',
              Resource: { 'Fn::Join': ['', [getAtt(tableId, 'Arn'), `/index/${MESSAGE_GROUP_INDEX}`]] },
            },
            {
              Sid: 'CursorSecret',
              Effect: 'Allow',
              Action: 'secretsmanager:GetSecretValue',
              Resource: { Ref: cursorId },
            },
            {
              Sid: 'Directory',
              Effect: 'Allow',
              Action: 'rds-db:connect',
              // arn:<partition>:rds-db:<region>:<account>:dbuser:<prx-id>/cruddur
              Resource: {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':rds-db:',
                    { Ref: 'AWS::Region' },
                    ':',
                    { Ref: 'AWS::AccountId' },
                    ':dbuser:',
                    { 'Fn::Select': [6, { 'Fn::Split': [':', getAtt(proxyId, 'DBProxyArn')] }] },
                    '/cruddur',
                  ],
                ],
              },
            },
            {
              Sid: 'Logs',
              Effect: 'Allow',
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              Resource: getAtt(logsId, 'Arn'),
            },
            {
              Sid: 'NetworkInterfaces',
              Effect: 'Allow',
              Action: [
                'ec2:AssignPrivateIpAddresses',
                'ec2:CreateNetworkInterface',
                'ec2:DeleteNetworkInterface',
                'ec2:DescribeNetworkInterfaces',
                'ec2:DescribeSubnets',
                'ec2:UnassignPrivateIpAddresses',
              ],
              Resource: '*',
            },
          ],
        },
      },
    ]);
    const attached = Object.values(resources).filter(
      (r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties['Roles']).includes(roleId),
    );
    expect(attached).toEqual([]);
    // Not the database secret (only the proxy's role reads it), not the stream.
    const policies = JSON.stringify(role.Properties['Policies']);
    expect(policies).not.toContain(directorySecret()[0]);
    expect(policies).not.toMatch(/StreamArn|Scan|DeleteItem|dynamodb:\*|secretsmanager:\*/);
  });

  it('reaches PostgreSQL through RDS Proxy: IAM auth, TLS required, the generated secret, 5432 from the Lambda only', () => {
    const [proxyId, proxy] = only('AWS::RDS::DBProxy');
    const [proxyGroupId] = group('ProxyGroup');
    const [lambdaGroupId] = group('LambdaGroup');
    const auth = proxy.Properties['Auth'] as { SecretArn: { Ref: string } }[];
    expect(proxy.Properties).toMatchObject({
      EngineFamily: 'POSTGRESQL',
      RequireTLS: true,
      Auth: [{ AuthScheme: 'SECRETS', IAMAuth: 'REQUIRED', SecretArn: auth[0]!.SecretArn }],
      VpcSubnetIds: isolatedSubnets(),
      VpcSecurityGroupIds: [getAtt(proxyGroupId, 'GroupId')],
    });
    expect(auth).toHaveLength(1);
    expect(resources[auth[0]!.SecretArn.Ref]).toMatchObject({
      Type: 'AWS::SecretsManager::SecretTargetAttachment',
      Properties: { SecretId: { Ref: directorySecret()[0] } },
    });
    const [, targets] = only('AWS::RDS::DBProxyTargetGroup');
    expect(targets.Properties).toMatchObject({
      DBProxyName: { Ref: proxyId },
      DBInstanceIdentifiers: [{ Ref: only('AWS::RDS::DBInstance')[0] }],
    });
    expect(ingressTo(proxyGroupId)).toEqual([
      {
        IpProtocol: 'tcp',
        FromPort: 5432,
        ToPort: 5432,
        GroupId: getAtt(proxyGroupId, 'GroupId'),
        SourceSecurityGroupId: getAtt(lambdaGroupId, 'GroupId'),
        Description: 'PostgreSQL from the message API',
      },
    ]);
  });

  it('reaches DynamoDB, Secrets Manager and Cognito through VPC endpoints, the interfaces open to the Lambda only', () => {
    const [endpointGroupId] = group('EndpointGroup');
    const [lambdaGroupId] = group('LambdaGroup');
    const endpoints = Object.values(resources)
      .filter((r) => r.Type === 'AWS::EC2::VPCEndpoint')
      .map((r) => r.Properties);
    const service = (endpoint: Record<string, unknown>) =>
      (endpoint['ServiceName'] as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1][2];
    expect(endpoints.map((e) => [service(e), e['VpcEndpointType']]).sort()).toEqual([
      ['.cognito-idp', 'Interface'],
      ['.dynamodb', 'Gateway'],
      ['.secretsmanager', 'Interface'],
    ]);
    // The gateway is on the isolated subnets' route tables.
    const isolatedTables = (isolatedSubnets() as { Ref: string }[]).map(
      ({ Ref }) =>
        Object.values(resources).find(
          (r) =>
            r.Type === 'AWS::EC2::SubnetRouteTableAssociation' &&
            JSON.stringify(r.Properties['SubnetId']) === JSON.stringify({ Ref }),
        )!.Properties['RouteTableId'],
    );
    const gateway = endpoints.find((e) => e['VpcEndpointType'] === 'Gateway')!;
    expect(gateway['RouteTableIds']).toEqual(isolatedTables);
    for (const endpoint of endpoints.filter((e) => e['VpcEndpointType'] === 'Interface')) {
      expect(endpoint).toMatchObject({
        PrivateDnsEnabled: true,
        SubnetIds: isolatedSubnets(),
        SecurityGroupIds: [getAtt(endpointGroupId, 'GroupId')],
      });
    }
    expect(ingressTo(endpointGroupId)).toEqual([
      {
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        GroupId: getAtt(endpointGroupId, 'GroupId'),
        SourceSecurityGroupId: getAtt(lambdaGroupId, 'GroupId'),
        Description: 'HTTPS from the message API',
      },
    ]);
  });

  it('signs cursors with a generated 64-character secret the stack retains, readable by the API Lambda alone', () => {
    const [cursorId, cursor] = named('AWS::SecretsManager::Secret', 'MessageApiCursorSecret');
    expect(cursor).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
      },
    });
    // A bare string, not a JSON document.
    expect(cursor.Properties['GenerateSecretString']).not.toHaveProperty('SecretStringTemplate');
    const roleId = (apiFunction()[1].Properties['Role'] as { 'Fn::GetAtt': [string, string] })[
      'Fn::GetAtt'
    ][0];
    const readers = Object.entries(resources)
      .filter(
        ([, r]) => r.Type.startsWith('AWS::IAM::') && JSON.stringify(r.Properties).includes(`"${cursorId}"`),
      )
      .map(([id]) => id);
    expect(readers).toEqual([roleId]);
  });
});

describe('the outputs', () => {
  it('name everything the app, the scripts and a team member need', () => {
    const outputs = template.toJSON()['Outputs'] as Record<string, unknown>;
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'Region',
        'TableName',
        'StreamArn',
        'UserPoolId',
        'UserPoolClientId',
        'DatabaseEndpoint',
        'DatabaseSecretArn',
        'BastionInstanceId',
        'TeamMemberPolicyArn',
        'DeadLetterQueueUrl',
        'ApiUrl',
        'CursorSecretArn',
        'DatabaseProxyEndpoint',
      ].sort(),
    );
    template.hasOutput('Region', { Value: { Ref: 'AWS::Region' } });
    template.hasOutput('TableName', { Value: { Ref: only('AWS::DynamoDB::Table')[0] } });
    template.hasOutput('StreamArn', { Value: getAtt(only('AWS::DynamoDB::Table')[0], 'StreamArn') });
    template.hasOutput('UserPoolId', { Value: { Ref: only('AWS::Cognito::UserPool')[0] } });
    template.hasOutput('UserPoolClientId', { Value: { Ref: only('AWS::Cognito::UserPoolClient')[0] } });
    template.hasOutput('DatabaseEndpoint', {
      Value: getAtt(only('AWS::RDS::DBInstance')[0], 'Endpoint.Address'),
    });
    template.hasOutput('BastionInstanceId', { Value: { Ref: only('AWS::EC2::Instance')[0] } });
    template.hasOutput('TeamMemberPolicyArn', { Value: { Ref: only('AWS::IAM::ManagedPolicy')[0] } });
    template.hasOutput('DeadLetterQueueUrl', { Value: { Ref: only('AWS::SQS::Queue')[0] } });
    // The execute-api endpoint of the $default stage: no custom domain.
    template.hasOutput('ApiUrl', {
      Value: {
        'Fn::Join': [
          '',
          [
            'https://',
            { Ref: only('AWS::ApiGatewayV2::Api')[0] },
            '.execute-api.',
            { Ref: 'AWS::Region' },
            '.',
            { Ref: 'AWS::URLSuffix' },
            '/',
          ],
        ],
      },
    });
    template.hasOutput('CursorSecretArn', {
      Value: { Ref: named('AWS::SecretsManager::Secret', 'MessageApiCursorSecret')[0] },
    });
    template.hasOutput('DatabaseProxyEndpoint', { Value: getAtt(only('AWS::RDS::DBProxy')[0], 'Endpoint') });
  });
});
