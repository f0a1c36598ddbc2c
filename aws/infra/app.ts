/** The CDK app cdk.json runs (`npx tsx aws/infra/app.ts`): the stack of create-app.ts, synthesized. */
import { createApp } from './create-app';

try {
  createApp().app.synth();
} catch (error) {
  // A bad context value or a table definition the stack cannot express: one line, no stack.
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
