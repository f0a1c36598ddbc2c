import { newMessageUuid } from '../../shared/message-uuid';
import { print, runCli } from '../cli/cli';
import { guardAwsWrite } from '../cli/aws-target';
import { messageJson, printJson, storedMessageLines } from '../patterns/output';
import { AS_OPTION, messageText, TEXT_OPTION, withPatternScript } from '../patterns/script';

await runCli(
  {
    name: 'ddb:create-message-group',
    summary: [
      'Pattern D: sends a message as --as to the person --to names. When the two already share a',
      'conversation the message goes there ("created": false); otherwise one transaction writes the',
      "conversation, both members' entries and the message.",
      'e.g. npm run ddb:create-message-group -- --as andrewbrown --to bayko --text "Hi!"',
    ].join('\n'),
    options: {
      as: AS_OPTION,
      to: { type: 'string', value: '<handle>', required: true, help: 'the person to write to' },
      text: TEXT_OPTION,
      json: { type: 'boolean', help: 'print the conversation and the stored message as one JSON object' },
    },
  },
  (args) => {
    const text = messageText(args.values.text);
    return withPatternScript(args.values.as, async ({ config, service }, caller) => {
      await guardAwsWrite(config, {
        script: 'ddb:create-message-group',
        target: { table: config.tableName },
      });
      const started = await service.startConversation(caller, {
        handle: args.values.to,
        messageUuid: newMessageUuid(),
        text,
      });
      const { group, message } = started;
      if (args.values.json) {
        const recipient = {
          user_uuid: group.user_uuid,
          handle: group.handle,
          display_name: group.display_name,
        };
        return print(
          printJson({
            message_group_uuid: started.message_group_uuid,
            created: started.created,
            ...messageJson(message),
            to: recipient,
          }),
        );
      }
      const what = started.created ? 'started conversation' : 'sent into the existing conversation';
      const heading = `${what} ${started.message_group_uuid} with @${group.handle}`;
      print([heading, ...storedMessageLines(message)].join('\n'));
    });
  },
);
