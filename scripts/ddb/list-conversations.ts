import { endQuietlyOnClosedStdout, print, runCli } from '../cli/cli';
import { groupsTable, messageGroupJson, pageFooter, pageJson, printJson } from '../patterns/output';
import { PAGE_OPTIONS, pageOptions, withPatternScript } from '../patterns/script';

endQuietlyOnClosedStdout();

await runCli(
  {
    name: 'ddb:list-conversations',
    summary: [
      "Pattern B: one page of --as's conversations, most recent reply first, each with its last",
      'message and the other member.',
      'e.g. npm run ddb:list-conversations -- --as andrewbrown',
    ].join('\n'),
    options: PAGE_OPTIONS,
  },
  (args) => {
    const options = pageOptions(args.values);
    return withPatternScript(args.values.as, async ({ service }, caller) => {
      const page = await service.listConversations(caller, options);
      if (args.values.json) return print(printJson(pageJson(page, messageGroupJson)));
      const again = `npm run ddb:list-conversations -- --as ${caller.handle}`;
      const table = page.items.length > 0 ? groupsTable(page.items) : ['(no conversations)'];
      print([...table, '', ...pageFooter(page, 'conversation', again)].join('\n'));
    });
  },
);
