/** A running part of the local cloud. */
export interface RunningComponent {
  name: string;
  endpoint: string;
  stop(): Promise<void>;
}
