import { App } from 'aws-cdk-lib';
import { DEFAULT_TABLE_NAME } from '../../core/table';
import { CruddurStack } from './stack';

/**
 * The CDK app's one stack, named by the context values `stackName` and `tableName`
 * (`npm run aws:deploy -- -c stackName=cruddur-test -c tableName=test-messages`).
 * No env: the stack is environment-agnostic, so synth needs no credentials and no lookups.
 */
export const DEFAULT_STACK_NAME = 'cruddur';

/** CloudFormation's rule for stack names, DynamoDB's for table names. */
const NAME_RULES = {
  stackName: /^[A-Za-z][A-Za-z0-9-]{0,127}$/,
  tableName: /^[A-Za-z0-9_.-]{3,255}$/,
} as const;

function contextName(app: App, key: keyof typeof NAME_RULES, fallback: string): string {
  const value: unknown = app.node.tryGetContext(key) ?? fallback;
  if (typeof value !== 'string' || !NAME_RULES[key].test(value)) {
    throw new Error(`context ${key} must match ${NAME_RULES[key].source}, not '${String(value)}'`);
  }
  return value;
}

export function createApp(app: App = new App()): { app: App; stack: CruddurStack } {
  const stackName = contextName(app, 'stackName', DEFAULT_STACK_NAME);
  const tableName = contextName(app, 'tableName', DEFAULT_TABLE_NAME);
  const stack = new CruddurStack(app, stackName, {
    stackName,
    tableName,
    description: `Cruddur: table ${tableName}, Pattern E, user pool, directory database`,
  });
  return { app, stack };
}
