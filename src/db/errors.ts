import {GnomonError} from "../util/errors.ts";

export class DbError extends GnomonError {
  constructor(message: string, options?: ErrorOptions) {
    super("DB_ERROR", message, options);
  }
}
