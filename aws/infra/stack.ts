import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { MESSAGE_GROUP_INDEX } from '../../shared/model';
import { bundledFunction, MessageApi } from './api';
import { PATTERN_E_BUNDLE } from './lambda-bundles';
import { messagesTable } from './table';

/** The repository root: this file lives in <root>/aws/infra/. */
const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** The Session Manager document a team member forwards the database port with. */
export const PORT_FORWARD_DOCUMENT = 'AWS-StartPortForwardingSessionToRemoteHost';

/**
 * The sign-up screen's rules (shared/password-rules.ts: at least 8 characters, a lowercase and
 * an uppercase letter, a number, a symbol) as Cognito's policy; a test checks the two accept and
 * refuse the same passwords.
 */
export const PASSWORD_POLICY: cognito.PasswordPolicy = {
  minLength: 8,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: true,
};

const POSTGRES_PORT = 5432;

/** The directory's database and the user of its generated secret (the API Lambda signs in as it). */
const DIRECTORY = { name: 'cruddur', user: 'cruddur' } as const;

/** Pattern E's stream settings: what a failing batch gets before it is set aside. */
export const PATTERN_E_STREAM = {
  batchSize: 100,
  retryAttempts: 5,
  maxRecordAge: Duration.hours(1),
} as const;

export interface CruddurStackProps extends StackProps {
  tableName: string;
}

/** An on-failure destination whose permission the role states by hand (SqsDlq grants more). */
class QueueOnFailure implements lambda.IEventSourceDlq {
  constructor(private readonly queue: sqs.IQueue) {}

  bind(): lambda.DlqDestinationConfig {
    return { destination: this.queue.queueArn };
  }
}

/**
 * Cruddur on AWS in one stack: the messages table, Pattern E as a Lambda on its stream, the user
 * pool and its public desktop client, the directory's PostgreSQL behind a Session Manager
 * bastion, and the public message API in front of both. Environment-agnostic and free of
 * lookups, so it synthesizes with no credentials.
 */
export class CruddurStack extends Stack {
  constructor(scope: Construct, id: string, props: CruddurStackProps) {
    super(scope, id, props);

    // ---- The table, from core/table.ts.
    const table = messagesTable(this, 'Messages', props.tableName);
    const indexArn = `${table.tableArn}/index/${MESSAGE_GROUP_INDEX}`;
    const streamArn = table.tableStreamArn;
    if (!streamArn) throw new Error('core/table.ts: Pattern E needs the table stream');

    // ---- Pattern E.
    const deadLetters = new sqs.Queue(this, 'PatternEDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const logGroup = new logs.LogGroup(this, 'PatternELogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Exactly the calls core/messages/stream makes: Query on the GSI (the members' group items)
    // and on the table (a member's own items, a sender's names), GetItem (the conversation item),
    // PutItem and DeleteItem (alone and inside TransactWriteItems, which IAM authorizes as its
    // parts). No Scan, no UpdateItem, no BatchWriteItem.
    const role = new iam.Role(this, 'PatternERole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Pattern E: moves group items to the newest message; nothing else',
      inlinePolicies: {
        PatternE: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              sid: 'GroupItems',
              actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
              resources: [table.tableArn],
            }),
            new iam.PolicyStatement({
              sid: 'GroupIndex',
              actions: ['dynamodb:Query'],
              resources: [indexArn],
            }),
            new iam.PolicyStatement({
              sid: 'ReadStream',
              actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
              resources: [streamArn],
            }),
            // ListStreams takes no resource: IAM allows it on "*" only.
            new iam.PolicyStatement({
              sid: 'ListStreams',
              actions: ['dynamodb:ListStreams'],
              resources: ['*'],
            }),
            new iam.PolicyStatement({
              sid: 'DeadLetters',
              actions: ['sqs:SendMessage'],
              resources: [deadLetters.queueArn],
            }),
            new iam.PolicyStatement({
              sid: 'Logs',
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [logGroup.logGroupArn],
            }),
          ],
        }),
      },
    });
    const patternE = bundledFunction(this, 'PatternE', ROOT, PATTERN_E_BUNDLE, {
      memorySize: 256,
      timeout: Duration.seconds(60),
      role,
      logGroup,
      environment: { CRUDDUR_TABLE: table.tableName },
    });
    new lambda.EventSourceMapping(this, 'PatternEStream', {
      target: patternE,
      eventSourceArn: streamArn,
      // From the oldest record the stream keeps (24 h): Pattern E is idempotent, and nothing
      // written before the mapping existed (or while it was being replaced) is skipped.
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: PATTERN_E_STREAM.batchSize,
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts: PATTERN_E_STREAM.retryAttempts,
      maxRecordAge: PATTERN_E_STREAM.maxRecordAge,
      filters: [lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.isEqual('INSERT') })],
      onFailure: new QueueOnFailure(deadLetters),
    });

    // ---- The user pool: the username is the handle; identity is never preferred_username.
    const userPool = new cognito.UserPool(this, 'Users', {
      selfSignUpEnabled: true,
      signInAliases: { username: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
        // No account may change it after creation (scripts/admin/cognito-pool.ts says the same).
        preferredUsername: { required: false, mutable: false },
      },
      passwordPolicy: PASSWORD_POLICY,
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const client = userPool.addClient('Desktop', {
      userPoolClientName: 'cruddur-desktop',
      generateSecret: false,
      authFlows: { userPassword: true, userSrp: true },
      disableOAuth: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
      // What sign-up writes (core/auth/account-flows.ts): email and name; never preferred_username,
      // and not email_verified (only the emailed code sets it).
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });

    // ---- The directory's PostgreSQL, reachable only through the bastion.
    // No NAT gateway (~$33/month) and no interface endpoints for SSM (~$7/month each, three): the
    // bastion sits in a public subnet with a public IPv4 and no inbound rule; its SSM agent dials
    // out. The database (and the message API's Lambda) live in isolated subnets with no route to
    // the internet at all.
    const vpc = new ec2.Vpc(this, 'Network', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [
        { name: 'bastion', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'database', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });
    const bastionGroup = new ec2.SecurityGroup(this, 'BastionGroup', {
      vpc,
      description: 'Session Manager bastion: no inbound rule; HTTPS out to SSM, PostgreSQL to the database',
      allowAllOutbound: false,
    });
    bastionGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'SSM agent and package updates');
    const bastion = new ec2.Instance(this, 'Bastion', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      associatePublicIpAddress: true,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.NANO),
      machineImage: ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }),
      securityGroup: bastionGroup,
      // AmazonSSMManagedInstanceCore: the agent registers and serves sessions; no key pair.
      ssmSessionPermissions: true,
      requireImdsv2: true,
    });
    const databaseGroup = new ec2.SecurityGroup(this, 'DatabaseGroup', {
      vpc,
      description: 'The directory: PostgreSQL from the bastion only',
      allowAllOutbound: false,
    });
    const database = new rds.DatabaseInstance(this, 'Directory', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17 }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
      allocatedStorage: 20,
      maxAllocatedStorage: 20,
      storageType: rds.StorageType.GP3,
      storageEncrypted: true,
      credentials: rds.Credentials.fromGeneratedSecret(DIRECTORY.user),
      databaseName: DIRECTORY.name,
      port: POSTGRES_PORT,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [databaseGroup],
      publiclyAccessible: false,
      multiAz: false,
      backupRetention: Duration.days(7),
      deletionProtection: false,
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });
    database.connections.allowFrom(
      bastion,
      ec2.Port.tcp(POSTGRES_PORT),
      'PostgreSQL from the Session Manager bastion',
    );
    const secret =
      database.secret ??
      (() => {
        throw new Error('the database has no generated secret');
      })();

    // ---- The public message API (aws/infra/api.ts).
    const api = new MessageApi(this, 'MessageApi', {
      root: ROOT,
      vpc,
      table,
      indexArn,
      userPool,
      client,
      database,
      databaseSecret: secret,
      databaseName: DIRECTORY.name,
      databaseUser: DIRECTORY.user,
    });

    // ---- What a team member running the app may do, and nothing more.
    const teamMember = new iam.ManagedPolicy(this, 'TeamMemberPolicy', {
      description: `Cruddur Desktop on ${props.tableName}: the app's table calls, the directory's secret, the port forward`,
      statements: [
        // core/messages: GetItem (a message before its put), Query (lists, reads, marks), PutItem
        // (messages; and the puts of Pattern D's TransactWriteItems), UpdateItem (read marks);
        // DescribeTable for Settings' "Check services" (core/service-check.ts).
        new iam.PolicyStatement({
          sid: 'Messages',
          actions: [
            'dynamodb:DescribeTable',
            'dynamodb:GetItem',
            'dynamodb:Query',
            'dynamodb:PutItem',
            'dynamodb:UpdateItem',
          ],
          resources: [table.tableArn],
        }),
        new iam.PolicyStatement({ sid: 'GroupIndex', actions: ['dynamodb:Query'], resources: [indexArn] }),
        new iam.PolicyStatement({
          sid: 'DirectorySecret',
          actions: ['secretsmanager:GetSecretValue'],
          resources: [secret.secretArn],
        }),
        new iam.PolicyStatement({
          sid: 'PortForward',
          actions: ['ssm:StartSession'],
          resources: [
            `arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:instance/${bastion.instanceId}`,
            `arn:${Aws.PARTITION}:ssm:${Aws.REGION}::document/${PORT_FORWARD_DOCUMENT}`,
          ],
          // Only the documents named above: no shell on the bastion.
          conditions: { BoolIfExists: { 'ssm:SessionDocumentAccessCheck': 'true' } },
        }),
        new iam.PolicyStatement({
          sid: 'OwnSessions',
          actions: ['ssm:TerminateSession', 'ssm:ResumeSession'],
          resources: [`arn:${Aws.PARTITION}:ssm:*:${Aws.ACCOUNT_ID}:session/\${aws:userid}-*`],
        }),
      ],
    });

    const outputs: Record<string, string> = {
      Region: Aws.REGION,
      TableName: table.tableName,
      StreamArn: streamArn,
      UserPoolId: userPool.userPoolId,
      UserPoolClientId: client.userPoolClientId,
      DatabaseEndpoint: database.dbInstanceEndpointAddress,
      DatabaseSecretArn: secret.secretArn,
      BastionInstanceId: bastion.instanceId,
      TeamMemberPolicyArn: teamMember.managedPolicyArn,
      DeadLetterQueueUrl: deadLetters.queueUrl,
      ApiUrl: api.url,
      CursorSecretArn: api.cursorSecret.secretArn,
      DatabaseProxyEndpoint: api.proxy.endpoint,
    };
    for (const [name, value] of Object.entries(outputs)) new CfnOutput(this, name, { value });
  }
}
