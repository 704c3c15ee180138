import {GnomonError} from "../../util/errors.ts";

/** Bytes from a peer that do not follow the ssz_snappy encoding (framing, length, SSZ). */
export class EncodingError extends GnomonError {}
