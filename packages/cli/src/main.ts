import { Command, CommanderError } from 'commander';
import { auditCommand } from './commands/audit.js';
import { checkCommand } from './commands/check.js';
import { connectionsCommand } from './commands/connections.js';
import { dataflowCommand } from './commands/dataflow.js';
import { segmentationPlanCommand } from './commands/segmentation-plan.js';
import { scopeCommand } from './commands/scope.js';
import { diagramCommand } from './commands/diagram.js';
import { diffCommand } from './commands/diff.js';
import { evidenceCommand } from './commands/evidence.js';
import { explainCommand } from './commands/explain.js';
import { terminalText } from './escape.js';
import { addConfigOptions, applyOptionsFile } from './options-file.js';
import { nameClusterInput } from './options.js';
import type { Io } from './io.js';
import { UsageError } from './usage-error.js';
import { toolVersion } from './version.js';


/**
 * Runs the CLI with `argv` (without the node and script names) and returns the exit code:
 * 0 done, 1 a check the user asked for failed, 2 bad input or bad usage.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let exitCode = 0;
  const setExit = (code: number) => {
    exitCode = Math.max(exitCode, code);
  };
  const debug = argv.includes('--debug');
  const program = new Command('netdiagram')
    .description('Draw the network traffic Kubernetes NetworkPolicies allow, for PCI DSS network diagrams.')
    .version(toolVersion())
    .option('--debug', 'show stack traces of internal errors')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .exitOverride();
  const commands = [connectionsCommand(io, setExit), auditCommand(io, setExit), diffCommand(io, setExit), explainCommand(io, setExit), checkCommand(io, setExit), evidenceCommand(io, setExit), diagramCommand(io, setExit), dataflowCommand(io, setExit), segmentationPlanCommand(io, setExit), scopeCommand(io, setExit)];
  for (const command of commands) {
    // the options a CI run repeats may come from netdiagram.yaml in the repository root (options-file.ts)
    addConfigOptions(command).hook('preAction', (cmd) => applyOptionsFile(cmd, commands, io))
      // after the options file, which may set --namespace: --cluster names its input (options.ts)
      .hook('preAction', (cmd) => nameClusterInput(cmd, io));
    program.addCommand(command.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) }));
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version exit with 0; every other commander error is bad usage
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
    }
    if (error instanceof UsageError) {
      io.stderr(`netdiagram: ${error.message}\n`);
      return 2;
    }
    // the message may quote input (a name, a file's text): one line, escaped like every diagnostic,
    // so a manifest cannot fake further lines of output or send escape sequences to the terminal
    const message = terminalText(error instanceof Error ? error.message : String(error));
    io.stderr(`netdiagram: internal error: ${message}${debug ? '' : ' (run with --debug for details)'}\n`);
    if (debug && error instanceof Error && error.stack) {
      // the stack starts with the message: escaped as above, so its line breaks make no lines of their own
      const stack = error.stack.replace(error.message, () => message);
      io.stderr(`${stack.split('\n').map(terminalText).join('\n')}\n`);
    }
    return 70;
  }
  return exitCode;
}
