/**
 * Typed errors of the spec-test harness. Each one fails the case it belongs to (never the run);
 * the message names the file and the condition that did not hold.
 */
import {GnomonError} from "../../src/util/errors.ts";

/** A `.ssz_snappy` file that is not a well-formed snappy block. */
export class SnappyError extends GnomonError {
  constructor(message: string) {
    super("SNAPPY_CORRUPT", message);
  }
}

/** A YAML file that does not parse. */
export class YamlError extends GnomonError {
  constructor(message: string) {
    super("YAML_MALFORMED", message);
  }
}

/** A case file that is missing or unreadable. */
export class CaseFileError extends GnomonError {
  constructor(message: string) {
    super("CASE_FILE", message);
  }
}
