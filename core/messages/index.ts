/** The message service (patterns A–D) and the Pattern E stream handler, for the app, scripts and Lambda. */
export { MessageService, type MessageServiceDeps } from './service';
export { loadOrCreateCursorSecret } from './cursor';
export { createStreamHandler, type StreamHandler, type StreamHandlerDeps } from './stream/stream-handler';
export type { DynamoDBStreamEvent, DynamoDBStreamRecord, StreamBatchResponse } from './stream/stream-event';
