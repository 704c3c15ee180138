/**
 * Typed errors of the Byzantine behaviours: a scenario that names an unknown or badly typed
 * parameter is refused when the behaviour is created, before the run starts.
 */
import {GnomonError} from "../../util/errors.ts";

export const AdversaryErrorCode = {
  UNKNOWN_PARAM: "ADVERSARY_UNKNOWN_PARAM",
  BAD_PARAM: "ADVERSARY_BAD_PARAM",
  UNKNOWN_BEHAVIOUR: "ADVERSARY_UNKNOWN_BEHAVIOUR",
  NO_KEY: "ADVERSARY_NO_KEY",
} as const;
export type AdversaryErrorCode = (typeof AdversaryErrorCode)[keyof typeof AdversaryErrorCode];

export class AdversaryError extends GnomonError {
  constructor(code: AdversaryErrorCode, message: string) {
    super(code, message);
  }
}
