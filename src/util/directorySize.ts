import {readdirSync, statSync} from "node:fs";
import {join} from "node:path";

/** Sum of file sizes under a directory, recursively (a vanished file is skipped, a missing directory is 0). */
export function directorySize(dir: string): number {
  let total = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    try {
      const st = statSync(join(dir, name));
      total += st.isDirectory() ? directorySize(join(dir, name)) : st.size;
    } catch {
      // compaction removed it between the listing and the stat
    }
  }
  return total;
}
