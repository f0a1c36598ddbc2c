import { newMessageUuid } from '../../shared/message-uuid';
import { messageUuidSchema } from '../../shared/messages';
import { print, runCli } from '../cli/cli';
import { guardAwsWrite } from '../cli/aws-target';
import { messageJson, printJson, storedMessageLines } from '../patterns/output';
import {
  AS_OPTION,
  groupUuidFlag,
  messageText,
  parseFlag,
  TEXT_OPTION,
  withPatternScript,
} from '../patterns/script';

await runCli(
  {
    name: 'ddb:create-message',
    summary: [
      'Pattern C: sends a message as --as into a conversation they belong to (one conditional PutItem).',
      'The same --message-uuid again stores nothing new, so a resend after a failure is safe.',
      'e.g. npm run ddb:create-message -- --as andrewbrown --group <message_group_uuid> --text "Hi!"',
    ].join('\n'),
    options: {
      as: AS_OPTION,
      group: {
        type: 'string',
        value: '<message_group_uuid>',
        required: true,
        help: 'the conversation (ddb:list-conversations shows them)',
      },
      text: TEXT_OPTION,
      'message-uuid': {
        type: 'string',
        value: '<uuid>',
        help: 'a UUID version 7 naming this message (default: a new one); reuse it to resend',
      },
      json: { type: 'boolean', help: 'print the stored message as one JSON object' },
    },
  },
  (args) => {
    const groupUuid = groupUuidFlag(args.values.group, '--group');
    const text = messageText(args.values.text);
    const given = args.values['message-uuid'];
    const messageUuid = given ? parseFlag(messageUuidSchema, given, '--message-uuid') : newMessageUuid();
    return withPatternScript(args.values.as, async ({ config, service }, caller) => {
      await guardAwsWrite(config, { script: 'ddb:create-message', target: { table: config.tableName } });
      const sent = await service.sendMessage(caller, { groupUuid, messageUuid, text });
      if (args.values.json) return print(printJson({ message_group_uuid: groupUuid, ...messageJson(sent) }));
      print([`sent into conversation ${groupUuid}`, ...storedMessageLines(sent)].join('\n'));
    });
  },
);
