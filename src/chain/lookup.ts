/**
 * Blocks, headers and states by the ids the Beacon API uses. The unfinalized part of the chain
 * comes from fork choice, the in-memory blocks and the state caches; the finalized part from the
 * database: the finalized slot index for blocks, and for states the nearest archived state with
 * the finalized blocks after it replayed.
 */
import {SLOTS_PER_HISTORICAL_ROOT} from "../params/index.ts";
import {
  computeEpochAtSlot,
  computeStartSlotAtEpoch,
  createCachedBeaconState,
  processSlots,
  stateTransition,
  type CachedBeaconState,
} from "../state-transition/index.ts";
import {ssz, type SignedBeaconBlock} from "../types/index.ts";
import {bytesEqual, fromHex, toHex} from "../util/bytes.ts";
import type {BeaconChain} from "./chain.ts";
import type {BlockId, BlockResult, HeaderResult, StateId, StateResult} from "./interface.ts";

/** A block by root: from memory (unfinalized) or the database. */
export async function loadBlock(chain: BeaconChain, rootHex: string): Promise<SignedBeaconBlock | null> {
  const inMemory = chain.blocks.get(rootHex);
  if (inMemory !== undefined) return inMemory;
  const bytes = await chain.db.getBlock(fromHex(rootHex));
  return bytes === undefined ? null : ssz.SignedBeaconBlock.deserialize(bytes);
}

/** The state at `slot` on the head's chain (empty slots processed). Read only. */
export async function getCanonicalStateAtSlot(chain: BeaconChain, slot: number): Promise<CachedBeaconState | null> {
  const fc = chain.forkChoice;
  if (slot >= chain.anchorSlot) {
    const root = fc.getAncestor(chain.headRoot, slot);
    if (root === null) return null;
    const node = fc.getBlock(root)!;
    if (node.slot === slot) return chain.regen.getBlockState(root);
    const epoch = computeEpochAtSlot(slot);
    if (slot === computeStartSlotAtEpoch(epoch)) return chain.regen.getCheckpointState(epoch, root);
    return chain.regen.getStateAtSlot(root, slot);
  }
  return getFinalizedStateAtSlot(chain, slot);
}

/** A finalized state: the nearest archived state at or before `slot`, then finalized blocks replayed. */
async function getFinalizedStateAtSlot(chain: BeaconChain, slot: number): Promise<CachedBeaconState | null> {
  const archived = await chain.db.getArchivedStateAtOrBefore(slot);
  if (archived === undefined) return null;
  const pubkeyCache = chain.getHead().state.epochCtx.pubkeyCache;
  let s = createCachedBeaconState(ssz.BeaconState.deserializeToViewDU(archived.state), chain.config, {pubkeyCache});
  if (archived.slot < slot) {
    const stored = await chain.db.blockRootsBySlotRange(archived.slot + 1, slot);
    for (const {slot: blockSlot, root} of stored) {
      const canonical = await chain.db.getFinalizedRootAtSlot(blockSlot);
      if (canonical === undefined || !bytesEqual(canonical, root)) continue;
      const block = await loadBlock(chain, toHex(root));
      if (block === null) return null;
      s = stateTransition(s, block, {verifySignatures: false, verifyProposer: false, verifyStateRoot: false});
    }
    if (s.state.slot < slot) processSlots(s, slot);
  }
  return s;
}

let genesisState: {chain: BeaconChain; state: CachedBeaconState} | null = null;

async function getGenesisState(chain: BeaconChain): Promise<CachedBeaconState | null> {
  if (genesisState !== null && genesisState.chain === chain) return genesisState.state;
  const s = await getFinalizedStateAtSlot(chain, 0);
  if (s !== null) genesisState = {chain, state: s};
  return s;
}

function stateResult(chain: BeaconChain, s: CachedBeaconState, canonical: boolean): StateResult {
  const finalizedSlot = computeStartSlotAtEpoch(chain.forkChoice.finalizedCheckpoint.epoch);
  return {state: s, stateRoot: s.state.hashTreeRoot(), finalized: canonical && s.state.slot <= finalizedSlot, executionOptimistic: false};
}

export async function getStateById(chain: BeaconChain, id: StateId): Promise<StateResult | null> {
  const fc = chain.forkChoice;
  if (id === "head") return stateResult(chain, chain.getHead().state, true);
  if (id === "genesis") {
    const s = await getGenesisState(chain);
    return s === null ? null : stateResult(chain, s, true);
  }
  if (id === "finalized" || id === "justified") {
    const cp = id === "finalized" ? fc.finalizedCheckpoint : fc.justifiedCheckpoint;
    return stateResult(chain, chain.regen.getCheckpointState(cp.epoch, cp.root), true);
  }
  if (typeof id === "number") {
    if (id > chain.clock.currentSlot) return null;
    const s = await getCanonicalStateAtSlot(chain, id);
    return s === null ? null : stateResult(chain, s, true);
  }
  return getStateByRoot(chain, id);
}

async function getStateByRoot(chain: BeaconChain, root: Uint8Array): Promise<StateResult | null> {
  const rootHex = toHex(root);
  const fc = chain.forkChoice;
  const head = chain.getHead();
  const cached = chain.regen.getCachedByStateRoot(rootHex);
  if (cached !== undefined) return {...stateResult(chain, cached, isCanonicalState(chain, cached, root)), stateRoot: root};
  // Post-states of known blocks.
  for (let i = 0; i < fc.protoArray.length; i++) {
    const b = fc.protoArray.blockAt(i);
    if (b.stateRoot === rootHex) {
      const canonical = fc.isAncestor(chain.headRoot, b.blockRoot);
      // Blocks before the anchor are finalized history: their states come from the archive.
      if (b.slot < chain.anchorSlot) {
        if (!canonical) return null;
        const s = await getCanonicalStateAtSlot(chain, b.slot);
        return s === null ? null : {...stateResult(chain, s, true), stateRoot: root};
      }
      return {...stateResult(chain, chain.regen.getBlockState(b.blockRoot), canonical), stateRoot: root};
    }
  }
  // Canonical states of recent slots, empty slots included, from the head state's state_roots.
  const stateRoots = head.state.state.state_roots;
  for (let slot = head.slot - 1; slot >= Math.max(0, head.slot - SLOTS_PER_HISTORICAL_ROOT); slot--) {
    if (bytesEqual(stateRoots.get(slot % SLOTS_PER_HISTORICAL_ROOT), root)) {
      const s = await getCanonicalStateAtSlot(chain, slot);
      return s === null ? null : {...stateResult(chain, s, true), stateRoot: root};
    }
  }
  const genesis = await getGenesisState(chain);
  if (genesis !== null && bytesEqual(genesis.state.hashTreeRoot(), root)) return stateResult(chain, genesis, true);
  return null;
}

function isCanonicalState(chain: BeaconChain, s: CachedBeaconState, root: Uint8Array): boolean {
  const head = chain.getHead();
  if (bytesEqual(head.stateRoot, root)) return true;
  const slot = s.state.slot;
  if (slot >= head.slot || slot < head.slot - SLOTS_PER_HISTORICAL_ROOT) return false;
  return bytesEqual(head.state.state.state_roots.get(slot % SLOTS_PER_HISTORICAL_ROOT), root);
}

// ---- blocks ----

/** The root (hex) a block id names, or null. */
async function resolveBlockRoot(chain: BeaconChain, id: BlockId): Promise<string | null> {
  const fc = chain.forkChoice;
  if (id === "head") return chain.headRoot;
  if (id === "genesis") return toHex(chain.genesis.genesisBlockRoot);
  if (id === "finalized") return fc.finalizedCheckpoint.root;
  if (id === "justified") return fc.justifiedCheckpoint.root;
  if (typeof id === "number") {
    const head = chain.getHead();
    if (id > head.slot) return null;
    if (id >= chain.anchorSlot) {
      const root = fc.getAncestor(chain.headRoot, id);
      return root !== null && fc.getBlock(root)!.slot === id ? root : null;
    }
    const root = await chain.db.getFinalizedRootAtSlot(id);
    return root === undefined ? null : toHex(root);
  }
  return toHex(id);
}

/** Canonical and finalized flags of a known block. */
async function blockStatus(chain: BeaconChain, rootHex: string, slot: number): Promise<{canonical: boolean; finalized: boolean}> {
  const fc = chain.forkChoice;
  if (fc.hasBlock(rootHex)) {
    const canonical = fc.isAncestor(chain.headRoot, rootHex);
    return {canonical, finalized: canonical && slot <= chain.anchorSlot};
  }
  const finalizedRoot = await chain.db.getFinalizedRootAtSlot(slot);
  const canonical = finalizedRoot !== undefined && toHex(finalizedRoot) === rootHex;
  return {canonical, finalized: canonical};
}

export async function getBlockById(chain: BeaconChain, id: BlockId): Promise<BlockResult | null> {
  const rootHex = await resolveBlockRoot(chain, id);
  if (rootHex === null) return null;
  const signedBlock = await loadBlock(chain, rootHex);
  if (signedBlock === null) return null;
  const slot = signedBlock.message.slot;
  const status = await blockStatus(chain, rootHex, slot);
  return {signedBlock, root: fromHex(rootHex), slot, ...status, executionOptimistic: false};
}

function toHeader(block: BlockResult): HeaderResult {
  const m = block.signedBlock.message;
  return {
    root: block.root,
    canonical: block.canonical,
    finalized: block.finalized,
    header: {
      message: {
        slot: m.slot,
        proposer_index: m.proposer_index,
        parent_root: m.parent_root,
        state_root: m.state_root,
        body_root: ssz.BeaconBlockBody.hashTreeRoot(m.body),
      },
      signature: block.signedBlock.signature,
    },
    executionOptimistic: false,
  };
}

export async function getHeaderById(chain: BeaconChain, id: BlockId): Promise<HeaderResult | null> {
  const block = await getBlockById(chain, id);
  return block === null ? null : toHeader(block);
}

/**
 * beacon-APIs /headers: no filter -> the head's; `slot` -> every known block at that slot
 * (canonical first); `parentRoot` -> every known child of that block (at `slot` if also given).
 */
export async function getHeaders(chain: BeaconChain, filter: {slot?: number; parentRoot?: Uint8Array}): Promise<HeaderResult[]> {
  if (filter.slot === undefined && filter.parentRoot === undefined) {
    const head = await getHeaderById(chain, "head");
    return head === null ? [] : [head];
  }
  const roots = new Set<string>();
  const fc = chain.forkChoice;
  if (filter.parentRoot !== undefined) {
    const parentHex = toHex(filter.parentRoot);
    for (let i = 0; i < fc.protoArray.length; i++) {
      const b = fc.protoArray.blockAt(i);
      if (b.parentRoot === parentHex) roots.add(b.blockRoot);
    }
    // A finalized parent's canonical child, from the database.
    const parent = await loadBlock(chain, parentHex);
    if (parent !== null && parent.message.slot < chain.anchorSlot) {
      const next = await chain.db.blockRootsBySlotRange(parent.message.slot + 1, chain.anchorSlot);
      for (const {root} of next) {
        const child = await loadBlock(chain, toHex(root));
        if (child !== null && bytesEqual(child.message.parent_root, filter.parentRoot)) roots.add(toHex(root));
      }
    }
  } else {
    const slot = filter.slot!;
    for (let i = 0; i < fc.protoArray.length; i++) {
      const b = fc.protoArray.blockAt(i);
      if (b.slot === slot) roots.add(b.blockRoot);
    }
    for (const {root} of await chain.db.blockRootsBySlotRange(slot, slot)) roots.add(toHex(root));
  }
  const out: HeaderResult[] = [];
  for (const root of roots) {
    const block = await getBlockById(chain, fromHex(root));
    if (block === null) continue;
    if (filter.slot !== undefined && block.slot !== filter.slot) continue;
    out.push(toHeader(block));
  }
  out.sort((a, b) => Number(b.canonical) - Number(a.canonical));
  return out;
}
