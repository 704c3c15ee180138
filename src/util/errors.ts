/**
 * Base of every typed error Gnomon raises on bad input. `code` is stable and machine-readable;
 * the message is for humans. Edges (CLI, REST, gossip, spec-test runner) map these to exit
 * statuses, HTTP codes or peer penalties instead of letting a stack trace escape.
 */
export class GnomonError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Bad user-supplied input: flags, files, config values. */
export class InputError extends GnomonError {
  constructor(message: string, options?: ErrorOptions) {
    super("INVALID_INPUT", message, options);
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
