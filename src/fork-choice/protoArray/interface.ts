/** Block roots are kept as lowercase 0x-hex strings inside fork choice: cheap map keys, and
 * comparing two of equal length orders them as the spec orders the bytes. */
export type RootHex = string;

/**
 * All that fork choice keeps of a block and its post-state: the spec's Store reads nothing else
 * of `store.blocks`, `store.block_states`, `store.block_timeliness` and
 * `store.unrealized_justifications` for a known block.
 */
export interface ProtoBlock {
  slot: number;
  blockRoot: RootHex;
  parentRoot: RootHex;
  stateRoot: RootHex;
  proposerIndex: number;
  /** block_states[root].current_justified_checkpoint */
  justifiedEpoch: number;
  justifiedRoot: RootHex;
  /** block_states[root].finalized_checkpoint */
  finalizedEpoch: number;
  finalizedRoot: RootHex;
  /** unrealized_justifications[root]: the pulled-up post-state's current_justified_checkpoint. */
  unrealizedJustifiedEpoch: number;
  unrealizedJustifiedRoot: RootHex;
  /** The pulled-up post-state's finalized_checkpoint. */
  unrealizedFinalizedEpoch: number;
  unrealizedFinalizedRoot: RootHex;
  /** block_timeliness[root]; null for the anchor, which the spec never records. */
  timely: boolean | null;
}

/** The store values that decide which leaves are viable for head (filter_block_tree). */
export interface ViabilityContext {
  currentEpoch: number;
  justifiedEpoch: number;
  finalizedEpoch: number;
}
