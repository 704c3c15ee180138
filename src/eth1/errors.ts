/**
 * Everything that can go wrong talking to an execution node, typed so the follower can tell an
 * endpoint that is down (retry later) from one that answers wrongly (drop what it said, retry).
 */
import {GnomonError} from "../util/errors.ts";

export const Eth1ErrorCode = {
  /** Connection refused, reset, DNS: the endpoint is down. */
  UNREACHABLE: "ETH1_UNREACHABLE",
  TIMEOUT: "ETH1_TIMEOUT",
  /** A non-2xx HTTP status. */
  HTTP_STATUS: "ETH1_HTTP_STATUS",
  /** The body is not JSON, or not a JSON-RPC response. */
  NOT_JSON: "ETH1_NOT_JSON",
  /** A JSON-RPC error object. */
  RPC_ERROR: "ETH1_RPC_ERROR",
  /** A result of the wrong shape (not hex, wrong length, missing field). */
  BAD_RESULT: "ETH1_BAD_RESULT",
  /** eth_chainId differs from DEPOSIT_CHAIN_ID. */
  WRONG_CHAIN: "ETH1_WRONG_CHAIN",
  /** A block's parent or a log's block hash disagrees with the blocks already followed. */
  REORG: "ETH1_REORG",
  /** Deposit logs skip or repeat an index. */
  DEPOSIT_GAP: "ETH1_DEPOSIT_GAP",
  /** Our deposit tree disagrees with the contract's get_deposit_root / get_deposit_count. */
  ROOT_MISMATCH: "ETH1_ROOT_MISMATCH",
  /** A transaction was mined but reverted, or never mined. */
  TX_FAILED: "ETH1_TX_FAILED",
} as const;

export type Eth1ErrorCodeValue = (typeof Eth1ErrorCode)[keyof typeof Eth1ErrorCode];

export class Eth1Error extends GnomonError {
  declare readonly code: Eth1ErrorCodeValue;
  constructor(code: Eth1ErrorCodeValue, message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}
