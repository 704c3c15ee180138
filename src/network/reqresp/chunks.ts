/**
 * Response chunks: `<result byte> [<context bytes>] <ssz_snappy payload>`. An error chunk carries
 * an ErrorMessage (a byte list of at most 256) instead of the response type.
 */
import {ssz} from "../../types/index.ts";
import type {ByteReader} from "../encoding/byteReader.ts";
import {EncodingError} from "../encoding/errors.ts";
import {encodeSszSnappy, readSszSnappy} from "../encoding/sszSnappy.ts";
import {GnomonError} from "../../util/errors.ts";
import type {ProtocolDef} from "./protocols.ts";
import {RespCode} from "./protocols.ts";

/** A peer answered with a non-success result code. */
export class ResponseError extends GnomonError {
  readonly resultCode: number;
  readonly errorMessage: string;
  constructor(resultCode: number, errorMessage: string) {
    super("RESPONSE_ERROR", `peer answered with result ${resultCode}: ${errorMessage}`);
    this.resultCode = resultCode;
    this.errorMessage = errorMessage;
  }
}

export function encodeSuccessChunk(payload: Uint8Array, context?: Uint8Array): Uint8Array {
  const body = encodeSszSnappy(payload);
  const out = new Uint8Array(1 + (context?.length ?? 0) + body.length);
  out[0] = RespCode.success;
  if (context !== undefined) out.set(context, 1);
  out.set(body, 1 + (context?.length ?? 0));
  return out;
}

export function encodeErrorChunk(code: number, message: string): Uint8Array {
  const bytes = new TextEncoder().encode(message).subarray(0, 256);
  const body = encodeSszSnappy(ssz.ErrorMessage.serialize(bytes));
  const out = new Uint8Array(1 + body.length);
  out[0] = code;
  out.set(body, 1);
  return out;
}

/** Non-printable bytes of a peer's error text are shown as '?', so a log line stays one line. */
function printable(bytes: Uint8Array): string {
  return String.fromCharCode(...Array.from(bytes, (b) => (b >= 0x20 && b < 0x7f ? b : 0x3f)));
}

/**
 * Reads the next response chunk's payload (after the result byte and context bytes); null at a
 * clean end of stream. `expectedContext` checks v2 context bytes (the fork digest).
 */
export async function readResponseChunk(
  reader: ByteReader,
  def: ProtocolDef,
  expectedContext: Uint8Array,
  maxPayloadSize: number
): Promise<Uint8Array | null> {
  const code = await reader.readByte();
  if (code === null) return null;
  if (code !== RespCode.success) {
    let message = "";
    try {
      const payload = await readSszSnappy(reader, ssz.ErrorMessage, maxPayloadSize);
      if (payload !== null) message = printable(ssz.ErrorMessage.deserialize(payload));
    } catch {
      message = "(unreadable error message)";
    }
    throw new ResponseError(code, message);
  }
  if (def.contextBytes) {
    const context = await reader.read(4);
    if (context === null) throw new EncodingError("CONTEXT_TRUNCATED", "stream ended inside the context bytes");
    if (!context.every((b, i) => b === expectedContext[i])) {
      throw new EncodingError("UNKNOWN_CONTEXT", `context bytes ${Buffer.from(context).toString("hex")} name no fork this node knows`);
    }
  }
  const payload = await readSszSnappy(reader, def.response(), maxPayloadSize);
  if (payload === null) throw new EncodingError("CHUNK_TRUNCATED", "stream ended after a result byte");
  return payload;
}
