import { endQuietlyOnClosedStdout, print, runCli, UsageError } from '../cli/cli';
import { messageJson, messagesTable, pageFooter, pageJson, printJson } from '../patterns/output';
import { PAGE_OPTIONS, pageOptions, groupUuidFlag, withPatternScript } from '../patterns/script';

endQuietlyOnClosedStdout();

await runCli(
  {
    name: 'ddb:get-conversation',
    summary: [
      "Pattern A: one page of a conversation's messages, newest first, read as --as would read them",
      '(a person who is not a member of the conversation is refused, exit 4).',
      'e.g. npm run ddb:get-conversation -- <message_group_uuid> --as andrewbrown --limit 20',
    ].join('\n'),
    positionals: '<message_group_uuid>',
    options: PAGE_OPTIONS,
  },
  (args) => {
    const [group, ...extra] = args.positionals;
    if (!group || extra.length > 0)
      throw new UsageError('give exactly one conversation: its message_group_uuid');
    const groupUuid = groupUuidFlag(group, 'message_group_uuid');
    const options = pageOptions(args.values);
    return withPatternScript(args.values.as, async ({ service }, caller) => {
      const page = await service.listMessages(caller, groupUuid, options);
      if (args.values.json) return print(printJson(pageJson(page, messageJson)));
      const again = `npm run ddb:get-conversation -- ${groupUuid} --as ${caller.handle}`;
      const table = page.items.length > 0 ? messagesTable(page.items) : ['(no messages)'];
      print([...table, '', ...pageFooter(page, 'message', again)].join('\n'));
    });
  },
);
