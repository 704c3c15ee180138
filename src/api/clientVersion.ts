/**
 * The node's version as the API reports it: `Gnomon/v0.1.0-1a2b3c4d/linux-x64` for node/version,
 * and a ClientVersionV1 for node/version v2. The commit comes from the checkout's .git (read
 * once, no subprocess); outside a checkout it is unknown and reported as zeros.
 */
import {readFileSync} from "node:fs";
import {VERSION} from "../util/version.ts";

function readCommit(): string | null {
  try {
    const gitDir = new URL("../../.git/", import.meta.url);
    const head = readFileSync(new URL("HEAD", gitDir), "utf8").trim();
    if (/^[0-9a-f]{40}$/.test(head)) return head;
    const ref = /^ref: (.+)$/.exec(head)?.[1];
    if (ref === undefined) return null;
    try {
      return readFileSync(new URL(ref, gitDir), "utf8").trim();
    } catch {
      const packed = readFileSync(new URL("packed-refs", gitDir), "utf8");
      const line = packed.split("\n").find((l) => l.endsWith(` ${ref}`));
      return line?.split(" ")[0] ?? null;
    }
  } catch {
    return null;
  }
}

const commit = readCommit();
const commit8 = commit !== null && /^[0-9a-f]{40}$/.test(commit) ? commit.slice(0, 8) : null;

export const CLIENT_NAME = "Gnomon";
/** Two letters as the Engine API's client codes; Gnomon has no registered code. */
export const CLIENT_CODE = "GN";

export function versionString(): string {
  return `${CLIENT_NAME}/v${VERSION}${commit8 !== null ? `-${commit8}` : ""}/${process.platform}-${process.arch}`;
}

export function clientVersionV1(): {code: string; name: string; version: string; commit: string} {
  return {code: CLIENT_CODE, name: CLIENT_NAME, version: `v${VERSION}`, commit: `0x${commit8 ?? "00000000"}`};
}
