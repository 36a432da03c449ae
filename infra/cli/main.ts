/** The `cag` command line: one program, one sub-command module per capability. */
import { Command, CommanderError } from 'commander';
import { SERVICE_VERSION } from '../../shared/runtime/version.ts';
import { auditCommand } from './commands/audit.ts';
import { costCommand } from './commands/cost.ts';
import { devTokenCommand } from './commands/dev-token.ts';
import { encounterCommand } from './commands/encounter.ts';
import { kbCommand } from './commands/kb.ts';
import { opsCommand } from './commands/ops.ts';
import { phiCommand } from './commands/phi.ts';

/** addCommand does not pass settings down: every sub-command reports usage errors instead of exiting. */
function reportingUsageErrors(command: Command): Command {
  command.exitOverride().showHelpAfterError();
  for (const child of command.commands) reportingUsageErrors(child);
  return command;
}

export function buildProgram(): Command {
  const program = new Command('cag')
    .description('clinical-ai-gateway command line')
    .version(SERVICE_VERSION)
    .exitOverride()
    .showHelpAfterError();
  for (const command of [
    devTokenCommand(),
    phiCommand(),
    auditCommand(),
    kbCommand(),
    encounterCommand(),
    opsCommand(),
    costCommand(),
  ])
    program.addCommand(reportingUsageErrors(command));
  return program;
}

/** Runs the CLI and returns its exit code (0 success, 1 failure, 2 usage error). */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    process.exitCode = 0;
    await buildProgram().parseAsync([...argv]);
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    process.stderr.write(`cag: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
