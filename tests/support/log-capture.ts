import { onTestFinished } from 'vitest';
import { formatLine, setLogSink, type LogEntry } from '../../core/log';

/**
 * Collects what every logger writes from now until the end of the running test (instead of stderr), so
 * a test can assert what was logged and the run's output stays quiet.
 */
export function captureLog(): { entries: LogEntry[]; text(): string } {
  const entries: LogEntry[] = [];
  const previous = setLogSink((entry) => entries.push(entry));
  onTestFinished(() => {
    setLogSink(previous);
  });
  return { entries, text: () => entries.map(formatLine).join('\n') };
}
