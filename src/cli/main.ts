// `broadsync`: the sync CLI, a GraphQL client of a running Broadsync server.
import { parseCommand, USAGE } from './args.ts';
import { applyCommand, cancelCommand, planCommand, retryCommand, runCommand, runsCommand, syncCommand } from './commands.ts';
import { CliError, EXIT, type ExitCode } from './exit-codes.ts';
import { scheduleChangeCommand, scheduleCreateCommand, scheduleListCommand, statusCommand } from './schedule-commands.ts';

async function main(argv: string[]): Promise<ExitCode> {
  const command = parseCommand(argv, process.env);
  switch (command.kind) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    case 'sync':
      return syncCommand(command);
    case 'runs':
      return runsCommand(command);
    case 'run':
      return runCommand(command);
    case 'plan':
      return planCommand(command);
    case 'apply':
      return applyCommand(command);
    case 'retry':
      return retryCommand(command);
    case 'cancel':
      return cancelCommand(command);
    case 'status':
      return statusCommand(command);
    case 'schedule-list':
      return scheduleListCommand(command);
    case 'schedule-create':
      return scheduleCreateCommand(command);
    case 'schedule-change':
      return scheduleChangeCommand(command);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      process.stderr.write(`broadsync: ${error.message}\n`);
      process.exitCode = error.exitCode;
    } else {
      process.stderr.write(`broadsync: unexpected failure: ${(error as Error)?.stack ?? error}\n`);
      process.exitCode = EXIT.server;
    }
  },
);
