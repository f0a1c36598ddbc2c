/** A running part of the local cloud. */
export interface RunningComponent {
  name: string;
  endpoint: string;
  /** The child process, when the component runs in one. */
  pid: number | undefined;
  stop(): Promise<void>;
}
