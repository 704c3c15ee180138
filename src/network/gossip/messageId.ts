/**
 * The phase0 gossip message-id (p2p-interface.md): SHA256(MESSAGE_DOMAIN_VALID_SNAPPY +
 * snappy_decompress(data))[:20] when the data decompresses, else
 * SHA256(MESSAGE_DOMAIN_INVALID_SNAPPY + data)[:20].
 */
import type {ChainConfig} from "../../params/index.ts";
import {digest} from "../../crypto/index.ts";
import {concatBytes} from "../../util/bytes.ts";
import {uncompressBlock} from "../encoding/snappyBlock.ts";

export function computeMessageId(
  config: Pick<ChainConfig, "MESSAGE_DOMAIN_INVALID_SNAPPY" | "MESSAGE_DOMAIN_VALID_SNAPPY">,
  data: Uint8Array,
  decompressed: Uint8Array | null
): Uint8Array {
  const input = decompressed === null ? concatBytes(config.MESSAGE_DOMAIN_INVALID_SNAPPY, data) : concatBytes(config.MESSAGE_DOMAIN_VALID_SNAPPY, decompressed);
  return digest(input).subarray(0, 20);
}

/** The decompressed payload of a gossip message, or null when it is not valid snappy within MAX_PAYLOAD_SIZE. */
export function decompressGossip(data: Uint8Array, maxPayloadSize: number): Uint8Array | null {
  try {
    return uncompressBlock(data, maxPayloadSize);
  } catch {
    return null;
  }
}
