/** Options shared by the block-processing functions. */
export interface BlockProcessingOpts {
  /**
   * Verify the signatures of the block's operations inline (default true). stateTransition turns
   * this off and verifies the same signatures in one batch instead. Deposit signatures are always
   * checked: an invalid one makes the deposit a no-op, not the block invalid.
   */
  verifySignatures?: boolean;
}
