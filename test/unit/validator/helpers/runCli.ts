import {main} from "../../../../src/cli/main.ts";

/** Runs `gnomon <argv>` in this process, capturing what it prints. */
export async function runCli(argv: string[]): Promise<{code: number; stdout: string[]; stderr: string[]}> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const {log, error} = console;
  console.log = (...a: unknown[]) => void stdout.push(a.join(" "));
  console.error = (...a: unknown[]) => void stderr.push(a.join(" "));
  try {
    return {code: await main(argv), stdout, stderr};
  } finally {
    console.log = log;
    console.error = error;
  }
}
