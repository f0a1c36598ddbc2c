import type { LogSink } from './log';

/**
 * The Lambdas' sink: one JSON object per line with stable keys, as Powertools for AWS Lambda
 * writes them (`level`, `timestamp`, `service`, `message`, then the fields), so CloudWatch Logs
 * Insights can filter on `failures > 0` or `conversation = "…"` without parsing text.
 */
export function createJsonSink(
  service: string,
  writeLine: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): LogSink {
  return ({ level, time, scope, message, fields }) => {
    const stable = { level: level.toUpperCase(), timestamp: time.toISOString(), service, scope, message };
    // The stable keys come first and win over a field of the same name.
    writeLine(JSON.stringify(Object.assign({ ...stable }, fields, stable)));
  };
}
