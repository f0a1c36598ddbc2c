import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MessageService } from '../core/messages';

/**
 * The app's own MessageService. Patterns A and B never look a person up by handle (only D does),
 * so the user directory is a stand-in that knows nobody, and no PostgreSQL is needed.
 */
export const benchMessageService = (db: DynamoDBDocumentClient, tableName: string): MessageService =>
  new MessageService({ db, tableName, directory: { findByHandle: () => Promise.resolve(undefined) } });
