import {GnomonError} from "../../util/errors.ts";

/** A keymanager request that cannot be served, with the HTTP status the standard gives it. */
export class KeymanagerError extends GnomonError {
  readonly status: number;
  constructor(status: 400 | 401 | 403 | 404 | 500, message: string) {
    super(status === 400 ? "BAD_REQUEST" : status === 404 ? "NOT_FOUND" : status === 500 ? "INTERNAL_ERROR" : "UNAUTHORIZED", message);
    this.status = status;
  }
}
