/**
 * State and block lookups by the API's ids, with the API's 400 (unparseable id) and 404 (unknown)
 * answers.
 */
import type {BlockId as ChainBlockId, BlockResult, IBeaconChain, StateId as ChainStateId, StateResult} from "../chain/interface.ts";
import {notFound} from "./errors.ts";
import {parseBlockId, parseStateId, type BlockId, type StateId} from "./params.ts";

function toChainStateId(id: StateId): ChainStateId {
  if (id.kind === "slot") return id.slot;
  if (id.kind === "root") return id.root;
  return id.kind;
}

function toChainBlockId(id: BlockId): ChainBlockId {
  if (id.kind === "slot") return id.slot;
  if (id.kind === "root") return id.root;
  return id.kind;
}

export async function stateOrThrow(chain: IBeaconChain, rawId: unknown): Promise<StateResult> {
  const id = parseStateId(rawId);
  const result = await chain.getStateById(toChainStateId(id));
  if (result === null) throw notFound(`State not found: ${String(rawId)}`, "STATE_NOT_FOUND");
  return result;
}

export async function blockOrThrow(chain: IBeaconChain, rawId: unknown): Promise<BlockResult> {
  const id = parseBlockId(rawId);
  const result = await chain.getBlockById(toChainBlockId(id));
  if (result === null) throw notFound(`Block not found: ${String(rawId)}`, "BLOCK_NOT_FOUND");
  return result;
}

export {toChainBlockId};
