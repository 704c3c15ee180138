/**
 * Top-level dispatch: finds the command, parses its options, maps typed errors to a one-line
 * message and exit status 2 (bad input) instead of a stack trace.
 */
import {type Command, formatHelp, parseOptions} from "./command.ts";
import {commandEntries} from "./commands/index.ts";
import {GnomonError, InputError} from "../util/errors.ts";
import {VERSION} from "../util/version.ts";

const root: Command = {
  name: "gnomon",
  summary: `Gnomon ${VERSION}: a proof-of-stake beacon-chain client (Gasper, phase0).`,
  usage: "<command> [options]",
  options: {},
  subcommands: commandEntries.map((e) => ({name: e.name, summary: e.summary, usage: e.name, options: {}})),
  details: "Run `gnomon <command> --help` for the options of a command.",
};

function findCommand(list: Command[] | undefined, name: string): Command | undefined {
  return list?.find((c) => c.name === name);
}

export async function main(argv: string[]): Promise<number> {
  try {
    if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
      console.log(formatHelp(root));
      return argv.length === 0 ? 2 : 0;
    }
    if (argv[0] === "--version" || argv[0] === "version") {
      console.log(`gnomon ${VERSION}`);
      return 0;
    }
    const entry = commandEntries.find((e) => e.name === argv[0]);
    if (!entry) throw new InputError(`unknown command "${argv[0]}" (see: gnomon --help)`);
    let cmd = await entry.load();
    let rest = argv.slice(1);
    let prefix = `gnomon`;
    // Nested commands (e.g. `validator slashing-protection export`).
    while (cmd.subcommands && rest.length > 0 && !rest[0].startsWith("-")) {
      const sub = findCommand(cmd.subcommands, rest[0]);
      if (!sub) {
        if (cmd.run) break;
        throw new InputError(`unknown command "${cmd.name} ${rest[0]}" (see: ${prefix} ${cmd.name} --help)`);
      }
      prefix = `${prefix} ${cmd.name}`;
      cmd = sub;
      rest = rest.slice(1);
    }
    const {opts, positionals, help} = parseOptions(cmd, rest);
    if (help || !cmd.run) {
      console.log(formatHelp(cmd, prefix));
      return help ? 0 : 2;
    }
    const code = await cmd.run(opts, positionals);
    return code ?? 0;
  } catch (e) {
    if (e instanceof InputError) {
      console.error(`gnomon: error: ${e.message}`);
      return 2;
    }
    if (e instanceof GnomonError) {
      console.error(`gnomon: ${e.code}: ${e.message}`);
      return 1;
    }
    console.error(`gnomon: internal error: ${(e as Error)?.stack ?? String(e)}`);
    return 1;
  }
}
