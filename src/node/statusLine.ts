/**
 * One human-readable line per slot: slot and epoch, head (short root and slot), justified and
 * finalized checkpoints, the previous epoch's target participation, peers, and while syncing the
 * distance to the clock and the blocks imported per second. Written a third
 * into the slot, when the slot's block (if any) has normally arrived.
 */
import type {BeaconChain} from "../chain/index.ts";
import {previousEpochTargetParticipation} from "../chain/participation.ts";
import {toHex} from "../util/bytes.ts";
import type {Logger} from "../util/logger.ts";

function shortRoot(root: Uint8Array): string {
  const hex = toHex(root);
  return `${hex.slice(0, 6)}…${hex.slice(-4)}`;
}

/** While the node syncs: how far behind the clock its head is and how fast blocks come in. */
export interface StatusLineSync {
  isSyncing: boolean;
  blocksPerSecond: number;
}

export function formatStatusLine(chain: BeaconChain, slot: number, peers: number, sync?: StatusLineSync): string {
  const head = chain.getHead();
  const justified = chain.getJustifiedCheckpoint();
  const finalized = chain.getFinalizedCheckpoint();
  const participation = previousEpochTargetParticipation(head.state);
  const pct = participation === null ? "-" : `${(participation * 100).toFixed(1)}%`;
  const epoch = Math.floor(slot / chain.clock.slotsPerEpoch);
  return (
    `slot ${slot} epoch ${epoch} | head ${head.slot} ${shortRoot(head.root)} | ` +
    `justified ${justified.epoch} ${shortRoot(justified.root)} | finalized ${finalized.epoch} ${shortRoot(finalized.root)} | ` +
    `participation ${pct} | peers ${peers}` +
    (sync?.isSyncing ? ` | syncing: distance ${Math.max(0, slot - head.slot)}, ${sync.blocksPerSecond.toFixed(1)} blocks/s` : "")
  );
}

/**
 * Logs the status line at every slot's attestation point; returns the unsubscribe. `extra`
 * appends a part's own status (the eth1 follower's).
 */
export function startStatusLine(
  chain: BeaconChain,
  logger: Logger,
  peerCount: () => number = () => 0,
  sync?: () => StatusLineSync,
  extra?: () => string
): () => void {
  const onPoint = (slot: number): void => {
    try {
      logger.info(formatStatusLine(chain, slot, peerCount(), sync?.()) + (extra === undefined ? "" : ` | ${extra()}`));
    } catch (e) {
      logger.warn({err: (e as Error).message}, "status line failed");
    }
  };
  chain.clock.on("attestation", onPoint);
  return () => chain.clock.off("attestation", onPoint);
}
