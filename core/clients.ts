import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from './config';

/** The local cloud accepts any credentials; real AWS uses the SDK's default provider chain. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

const requestHandler = { connectionTimeout: 2_000, requestTimeout: 15_000 };

export function createDynamoClient(config: Config): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: config.region,
    endpoint: config.dynamodbEndpoint,
    credentials: config.target === 'local' ? LOCAL_CREDENTIALS : undefined,
    maxAttempts: 3,
    requestHandler,
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export function createCognitoClient(config: Config): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: config.region,
    endpoint: config.cognitoEndpoint,
    credentials: config.target === 'local' ? LOCAL_CREDENTIALS : undefined,
    maxAttempts: 3,
    requestHandler,
  });
}
