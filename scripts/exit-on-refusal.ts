import { parseArgs, type ParseArgsConfig } from "node:util";
import { isRefusal } from "../app/utils/refusal";

/** Runs a script's work; a Refusal is printed as it is, without a stack trace, and ends the script with code 1. */
export async function exitOnRefusal<T>(work: () => T | Promise<T>, heading: string): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!isRefusal(e)) throw e;
    console.error(`${heading}: ${e.message}`);
    process.exit(1);
  }
}

/** The command line, or the usage and exit code 2 when it cannot be read. */
export function commandLine<T extends ParseArgsConfig["options"]>(options: T, usage: string) {
  try {
    return parseArgs({ allowPositionals: true, options });
  } catch (e) {
    console.error(`${(e as Error).message}\nusage: ${usage}`);
    process.exit(2);
  }
}
