import { newMessageUuid } from '../../shared/message-uuid';
import { messageTextSchema } from '../../shared/messages';
import { print, runCli } from '../cli/cli';
import { messageJson, printJson, storedMessageLines } from '../patterns/output';
import { parseFlag, requiredFlag, withPatternScript } from '../patterns/script';

await runCli(
  {
    name: 'ddb:create-message-group',
    summary: [
      'Pattern D: sends a message as --as to the person --to names. When the two already share a',
      'conversation the message goes there ("created": false); otherwise one transaction writes the',
      "conversation, both members' entries and the message.",
      'e.g. npm run ddb:create-message-group -- --as andrewbrown --to bayko --text "Hi!"',
    ].join('\n'),
    usage: '--as <handle> --to <handle> --text <text> [--json]',
    help: [
      '--as <handle>     send as this person (looked up in the PostgreSQL users table)',
      '--to <handle>     the other person',
      '--text <text>     the message: 1 to 1,024 characters, not only white space',
      '--json            print the conversation and the stored message as one JSON object',
    ],
    options: {
      as: { type: 'string' },
      to: { type: 'string' },
      text: { type: 'string' },
      json: { type: 'boolean' },
    },
  },
  (args) => {
    const to = requiredFlag(args.values.to, '--to', 'the handle of the person to write to');
    const text = requiredFlag(args.values.text, '--text', 'the message to send');
    parseFlag(messageTextSchema, text, '--text');
    return withPatternScript(args.values.as, async ({ service }, caller) => {
      const started = await service.startConversation(caller, {
        handle: to,
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
