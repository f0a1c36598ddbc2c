import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../aws/infra/create-app';
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
    const logGroupId = Object.entries(resources).find(([, r]) => r.Type === 'AWS::Logs::LogGroup')![0];
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
    const [secretId] = only('AWS::SecretsManager::Secret');
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
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
  });

  it('admits 5432 only from the bastion, which itself admits nothing', () => {
    const [, database] = only('AWS::RDS::DBInstance');
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
    const ingress = Object.values(resources)
      .filter((r) => r.Type === 'AWS::EC2::SecurityGroupIngress')
      .map((r) => r.Properties);
    expect(ingress).toEqual([
      {
        IpProtocol: 'tcp',
        FromPort: 5432,
        ToPort: 5432,
        GroupId: getAtt(databaseGroupId, 'GroupId'),
        SourceSecurityGroupId: getAtt(bastionGroupId, 'GroupId'),
        Description: 'PostgreSQL from the Session Manager bastion',
      },
    ]);
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
    const [secretId] = only('AWS::SecretsManager::Secret');
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
  });
});
