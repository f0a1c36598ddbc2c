import { z } from 'zod';
import type { Result } from './result';

/**
 * The IPC contract, declared once: each operation has a name (which is also the method name on
 * `window.api`), a zod schema for its input and a type for its output. The preload builds
 * `window.api` from these names and the main process registers one handler per name.
 */
interface Operation<Input extends z.ZodType, Output> {
  input: Input;
  /** Phantom field that carries the output type; it is never read at run time. */
  output?: Output;
}

const operation = <Output>() => {
  return <Input extends z.ZodType>(input: Input): Operation<Input, Output> => ({ input });
};

export const backendTargets = ['local', 'aws'] as const;
export type BackendTarget = (typeof backendTargets)[number];

export interface AppInfo {
  name: string;
  version: string;
  target: BackendTarget;
  region: string;
}

export const contract = {
  getAppInfo: operation<AppInfo>()(z.undefined()),
} as const;

export type Contract = typeof contract;
export type OperationName = keyof Contract;

/** What the renderer passes (before parsing). */
export type OperationInput<N extends OperationName> = z.input<Contract[N]['input']>;
/** What the handler receives (after parsing). */
export type ParsedInput<N extends OperationName> = z.output<Contract[N]['input']>;
export type OperationOutput<N extends OperationName> = NonNullable<Contract[N]['output']>;

export const operationNames = Object.keys(contract) as OperationName[];

/** Events the main process pushes to the renderer. */
export interface EventMap {
  'window.focus': { focused: boolean };
}
export type EventName = keyof EventMap;
export const eventNames: readonly EventName[] = ['window.focus'];

export const invokeChannel = (name: OperationName): string => `cruddur:invoke:${name}`;
export const eventChannel = (name: EventName): string => `cruddur:event:${name}`;

type Method<N extends OperationName> =
  undefined extends OperationInput<N>
    ? (input?: OperationInput<N>) => Promise<Result<OperationOutput<N>>>
    : (input: OperationInput<N>) => Promise<Result<OperationOutput<N>>>;

/** The object the preload exposes as `window.api`. */
export type Api = { [N in OperationName]: Method<N> } & {
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
};
