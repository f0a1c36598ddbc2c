/** The message service (patterns A–D) and the Pattern E stream handler, for the app, scripts and Lambda. */
export { MessageService, type MessageOperations, type MessageServiceDeps } from './service';
export type { SendOutcome } from './send';
export { loadOrCreateCursorSecret } from './cursor';
export { createStreamHandler, type StreamHandler, type StreamHandlerDeps } from './stream/stream-handler';
export type { DynamoDBStreamEvent, DynamoDBStreamRecord, StreamBatchResponse } from './stream/stream-event';
