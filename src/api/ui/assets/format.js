/** Short, readable renderings of chain values. */

export function shortRoot(root) {
  return typeof root === "string" && root.length > 12 ? `${root.slice(0, 6)}…${root.slice(-4)}` : String(root);
}

/** Gwei as ETH with a unit suited to the size. */
export function formatGwei(gwei) {
  const eth = gwei / 1e9;
  if (eth >= 1e6) return `${(eth / 1e6).toFixed(2)}M ETH`;
  if (eth >= 1e4) return `${(eth / 1e3).toFixed(1)}k ETH`;
  return `${eth.toFixed(eth >= 100 || eth === 0 ? 0 : 1)} ETH`;
}

export function formatPercent(fraction) {
  return `${(fraction * 100).toFixed(1)}%`;
}

export function formatTime(date) {
  return date.toISOString().slice(11, 19);
}

/** The validator indices both attestations of an attester slashing name: the ones it slashes. */
export function slashedIndices(attesterSlashing) {
  const second = new Set(attesterSlashing.attestation_2.attesting_indices);
  return attesterSlashing.attestation_1.attesting_indices.filter((i) => second.has(i));
}
