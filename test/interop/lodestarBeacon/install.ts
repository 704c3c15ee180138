/**
 * Installs the published Lodestar 1.5.1 beacon node (../shared/interop/lodestar-1.5.1) outside the
 * repository (npm would otherwise put the project's Node 24 first on the PATH of the install
 * scripts, and its native BLS build needs the machine's Node 20). Skipped when already installed.
 * The directory: $GNOMON_LODESTAR_DIR, default $TMPDIR/gnomon-lodestar-1.5.1.
 */
import {spawnSync} from "node:child_process";
import {copyFileSync, existsSync, mkdirSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {ROOT} from "../../e2e/helpers/processes.ts";

export const LODESTAR_DIR = process.env.GNOMON_LODESTAR_DIR ?? join(tmpdir(), "gnomon-lodestar-1.5.1");
export const LODESTAR_BIN = join(LODESTAR_DIR, "node_modules/.bin/lodestar");
/** The machine's Node, which the published release runs on. */
export const SYSTEM_NODE = "/usr/bin/node";

const SOURCE = join(ROOT, "../shared/interop/lodestar-1.5.1");

function install(): void {
  if (existsSync(join(LODESTAR_DIR, "node_modules/@chainsafe/blst/prebuild")) && existsSync(LODESTAR_BIN)) {
    console.log(`Lodestar 1.5.1 already installed in ${LODESTAR_DIR}`);
    return;
  }
  mkdirSync(LODESTAR_DIR, {recursive: true});
  for (const f of ["package.json", "package-lock.json", "config.yaml"]) copyFileSync(join(SOURCE, f), join(LODESTAR_DIR, f));
  console.log(`installing Lodestar 1.5.1 into ${LODESTAR_DIR} (about a minute)`);
  const res = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], {
    cwd: LODESTAR_DIR,
    stdio: "inherit",
    env: {...process.env, PATH: "/usr/local/bin:/usr/bin:/bin"},
  });
  if (res.status !== 0) {
    console.error(`npm ci failed (${res.status ?? res.signal}) in ${LODESTAR_DIR}`);
    process.exit(1);
  }
}

if (process.argv[1] === import.meta.filename) install();
