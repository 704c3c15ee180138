/**
 * YAML as the vectors write it: integers become bigint (uint64 values above 2**53 occur, and a
 * double would round them), and `0x...` stays a string even when unquoted, because the vectors
 * mean bytes by it, never a hex integer.
 */
import {parse, YAMLError, type Tags} from "yaml";
import {YamlError} from "./errors.ts";

function withoutRadixInts(tags: Tags): Tags {
  return tags.filter((t) => !(typeof t === "object" && (t.format === "HEX" || t.format === "OCT")));
}

/** Parses one YAML document; `source` names it in the error message. */
export function parseVectorYaml(text: string, source: string): unknown {
  try {
    return parse(text, {intAsBigInt: true, customTags: withoutRadixInts});
  } catch (e) {
    const reason = (e instanceof Error ? e.message : String(e)).split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    const at = e instanceof YAMLError && e.linePos ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : "";
    throw new YamlError(`${source}: malformed YAML${at}: ${reason}`);
  }
}
