import { newMessageUuid } from '../../shared/message-uuid';
import { messageTextSchema, messageUuidSchema } from '../../shared/messages';
import { print, runCli } from '../cli/cli';
import { messageJson, printJson, storedMessageLines } from '../patterns/output';
import { groupUuidFlag, parseFlag, requiredFlag, withPatternScript } from '../patterns/script';

await runCli(
  {
    name: 'ddb:create-message',
    summary: [
      'Pattern C: sends a message as --as into a conversation they belong to (one conditional PutItem).',
      'The same --message-uuid again stores nothing new, so a resend after a failure is safe.',
      'e.g. npm run ddb:create-message -- --as andrewbrown --group <message_group_uuid> --text "Hi!"',
    ].join('\n'),
    usage: '--as <handle> --group <message_group_uuid> --text <text> [--message-uuid <uuid>] [--json]',
    help: [
      '--as <handle>     send as this person (looked up in the PostgreSQL users table)',
      '--group <uuid>    the conversation (ddb:list-conversations shows them)',
      '--text <text>     the message: 1 to 1,024 characters, not only white space',
      '--message-uuid U  a UUID version 7 naming this message (default: a new one); reuse it to resend',
      '--json            print the stored message as one JSON object',
    ],
    options: {
      as: { type: 'string' },
      group: { type: 'string' },
      text: { type: 'string' },
      'message-uuid': { type: 'string' },
      json: { type: 'boolean' },
    },
  },
  (args) => {
    const group = requiredFlag(args.values.group, '--group', "the conversation's message_group_uuid");
    const groupUuid = groupUuidFlag(group, '--group');
    const text = requiredFlag(args.values.text, '--text', 'the message to send');
    parseFlag(messageTextSchema, text, '--text');
    const given = args.values['message-uuid'];
    const messageUuid = given ? parseFlag(messageUuidSchema, given, '--message-uuid') : newMessageUuid();
    return withPatternScript(args.values.as, async ({ service }, caller) => {
      const sent = await service.sendMessage(caller, { groupUuid, messageUuid, text });
      if (args.values.json) return print(printJson({ message_group_uuid: groupUuid, ...messageJson(sent) }));
      print([`sent into conversation ${groupUuid}`, ...storedMessageLines(sent)].join('\n'));
    });
  },
);
