/**
 * The verdicts of a run: pure functions of its Observations, each comparing one measured figure
 * with what the scenario expects (a verdict without expectation reports and passes). Always the
 * same six, in the same order, so reports and `--runs` comparisons line up.
 */
import {accountableFor, finalizedCheckpoints, findConflicts, type Checkpoint, type FinalizedCheckpoint} from "./accountability.ts";
import {totalValidators} from "./scenario.ts";
import {formatSlotTime, optimalFinalizedEpoch} from "./scenarioTime.ts";
import type {BlockObservation, Observations, Scenario, Verdict} from "./types.ts";

export function computeVerdicts(obs: Observations): Verdict[] {
  return [safetyVerdict(obs), livenessVerdict(obs), finalityVerdict(obs), accountabilityVerdict(obs), reorgsVerdict(obs), participationVerdict(obs)];
}

// ---------------------------------------------------------------- helpers

/** "3, 5-9, 12": sorted validator indices with runs collapsed. */
export function formatIndices(indices: readonly number[]): string {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(", ");
}

export function shortRoot(root: string): string {
  return root.slice(0, 10);
}

export function nodeName(obs: Observations, node: number): string {
  return obs.scenario.nodes[node]?.name ?? `#${node}`;
}

function nodeNames(obs: Observations, nodes: readonly number[]): string {
  return nodes.map((n) => nodeName(obs, n)).join(",");
}

function formatCheckpoint(obs: Observations, cp: FinalizedCheckpoint): string {
  return `epoch ${cp.epoch} ${shortRoot(cp.root)} (${nodeNames(obs, cp.nodes)})`;
}

function ratio(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/**
 * GST, the slot from which the network is synchronous for good: the last partition heal or end
 * of an offline period, genesis without either; null when a partition never heals in the run.
 */
export function gstSlot(s: Scenario): number | null {
  let gst = 0;
  for (const p of s.partitions) {
    if (p.heal === null) return null;
    gst = Math.max(gst, p.heal);
  }
  for (const o of s.offline) gst = Math.max(gst, o.to);
  return gst;
}

/**
 * Epochs whose participation the network itself kept down: a partition or an offline period
 * overlaps the epoch or the next one (an epoch's attestations are included until the next ends).
 */
export function disturbedEpochs(s: Scenario, slotsPerEpoch: number): Set<number> {
  const windows = [...s.partitions.map((p) => [p.start, p.heal ?? s.slots]), ...s.offline.map((o) => [o.from, o.to])];
  const out = new Set<number>();
  for (const [from, to] of windows) {
    const first = Math.max(0, Math.floor(from / slotsPerEpoch) - 1);
    const last = Math.floor((to - 1) / slotsPerEpoch);
    for (let e = first; e <= last; e++) out.add(e);
  }
  return out;
}

// ---------------------------------------------------------------- safety

function safetyVerdict(obs: Observations): Verdict {
  const expected = obs.scenario.expect.safety ?? true;
  const checkpoints = finalizedCheckpoints(obs);
  const {conflicts, unknown} = findConflicts(obs, checkpoints);
  const conflictsOut = conflicts.slice(0, 20).map((c) => ({a: checkpointJson(c.a), b: checkpointJson(c.b), reason: c.reason}));
  const undecided = unknown.map(([a, b]) => ({a, b}));
  if (conflicts.length === 0) {
    const summary =
      `no conflicting finalization: ${checkpoints.length} finalized checkpoints in ${obs.honestNodes.length} honest views` +
      (undecided.length > 0 ? ` (${plural(undecided.length, "pair")} undecided: blocks missing)` : "") +
      (expected ? "" : "; expected a conflict");
    return {name: "safety", pass: expected, summary, details: {expected, safe: true, finalizedCheckpoints: checkpoints.length, conflicts: [], undecided}};
  }
  const first = conflicts[0];
  const evidence = accountableFor(obs, first);
  const slashable = evidence.map((e) => e.validator);
  const total = totalValidators(obs.scenario);
  const fraction = total > 0 ? slashable.length / total : 0;
  const summary =
    `CONFLICT ${formatCheckpoint(obs, first.a)} vs ${formatCheckpoint(obs, first.b)}; ` +
    `${plural(slashable.length, "slashable validator")} (${(fraction * 100).toFixed(1)}% of ${total}): ${formatIndices(slashable)}` +
    (expected ? "; expected none" : "");
  return {
    name: "safety",
    pass: !expected,
    summary,
    details: {
      expected,
      safe: false,
      finalizedCheckpoints: checkpoints.length,
      conflictCount: conflicts.length,
      conflicts: conflictsOut,
      undecided,
      slashableValidators: slashable,
      slashableFraction: ratio(fraction),
      // Accountable safety promises at least a third; less means votes went unobserved.
      atLeastOneThird: 3 * slashable.length >= total,
      evidence: evidence.map((e) => ({
        validator: e.validator,
        kind: e.kind,
        votes: e.votes.map((v) => ({source: `${v.source.epoch}/${v.source.root}`, target: `${v.target.epoch}/${v.target.root}`, block: v.block, blockSlot: v.blockSlot})),
      })),
    },
  };
}

function checkpointJson(cp: FinalizedCheckpoint): Checkpoint & {nodes: number[]; firstSlot: number} {
  return {epoch: cp.epoch, root: cp.root, nodes: [...cp.nodes], firstSlot: cp.firstSlot};
}

// ---------------------------------------------------------------- liveness and finality

/**
 * Epochs from GST until every honest node has finalized a checkpoint voted on entirely after GST
 * (the first epoch boundary at or after it; epoch 1 at least, as genesis is final from the
 * start), or null when that did not happen within the run.
 */
export function epochsToFinality(obs: Observations): {gst: number | null; firstEpoch: number | null; slot: number | null; epochs: number | null; perNode: (number | null)[]} {
  const gst = gstSlot(obs.scenario);
  if (gst === null) return {gst, firstEpoch: null, slot: null, epochs: null, perNode: []};
  const spe = obs.slotsPerEpoch;
  const firstEpoch = Math.max(1, Math.ceil(gst / spe));
  const perNode = obs.honestNodes.map((node) => {
    const view = (obs.views[node] ?? []).find((v) => v.slot >= gst && v.finalized.epoch >= firstEpoch);
    return view === undefined ? null : view.slot;
  });
  const slot = perNode.length === 0 || perNode.some((s) => s === null) ? null : Math.max(...(perNode as number[]));
  return {gst, firstEpoch, slot, epochs: slot === null ? null : (slot - gst) / spe, perNode};
}

function livenessVerdict(obs: Observations): Verdict {
  const limit = obs.scenario.expect.finalityWithinEpochsOfGst;
  const m = epochsToFinality(obs);
  const details = {expectedWithinEpochs: limit ?? null, gstSlot: m.gst, firstEpoch: m.firstEpoch, finalizedAtSlot: m.slot, epochsFromGst: m.epochs, perNodeSlot: m.perNode};
  if (m.gst === null) {
    return {name: "liveness", pass: limit === undefined, summary: "no GST within the run: a partition never heals", details};
  }
  const gstText = m.gst === 0 ? "genesis" : formatSlotTime(m.gst, obs.slotsPerEpoch);
  const expectText = limit === undefined ? "" : `, expected within ${limit}`;
  if (m.epochs === null) {
    const behind = m.perNode.flatMap((s, i) => (s === null ? [nodeName(obs, obs.honestNodes[i])] : []));
    return {
      name: "liveness",
      pass: limit === undefined,
      summary: `epoch ${m.firstEpoch} not finalized by every honest node after GST (${gstText}); not by ${behind.join(",")}${expectText}`,
      details,
    };
  }
  return {
    name: "liveness",
    pass: limit === undefined || m.epochs <= limit,
    summary: `every honest node finalized epoch ${m.firstEpoch}+ ${fmtEpochs(m.epochs)} after GST (${gstText})${expectText}`,
    details,
  };
}

function fmtEpochs(e: number): string {
  return `${Number.isInteger(e) ? e : e.toFixed(2)} epoch${e === 1 ? "" : "s"}`;
}

/** Each honest node's finalized checkpoint at the end of the run. */
export function finalizedAtEnd(obs: Observations): {node: string; epoch: number; root: string | null}[] {
  return obs.honestNodes.map((node) => {
    const last = obs.views[node]?.at(-1);
    return {node: nodeName(obs, node), epoch: last?.finalized.epoch ?? 0, root: last?.finalized.root ?? null};
  });
}

function finalityVerdict(obs: Observations): Verdict {
  const min = obs.scenario.expect.minFinalizedEpoch;
  const optimal = optimalFinalizedEpoch(obs.scenario.slots, obs.slotsPerEpoch);
  const perNode = finalizedAtEnd(obs);
  const lowest = perNode.length === 0 ? 0 : Math.min(...perNode.map((p) => p.epoch));
  const highest = perNode.length === 0 ? 0 : Math.max(...perNode.map((p) => p.epoch));
  const spread = lowest === highest ? `${lowest}` : `${lowest}..${highest}`;
  return {
    name: "finality",
    pass: min === undefined || lowest >= min,
    summary: `finalized epoch at the end ${spread} (optimal ${optimal})${min === undefined ? "" : `, expected at least ${min}`}`,
    details: {expectedAtLeast: min ?? null, optimal, lowest, perNode},
  };
}

// ---------------------------------------------------------------- accountability

function accountabilityVerdict(obs: Observations): Verdict {
  const expectSlashed = obs.scenario.expect.offendersSlashed;
  const byzantine = new Set(obs.byzantineValidators);
  const offenders = [...new Set(obs.offences.map((o) => o.validator))].sort((a, b) => a - b);
  const byKind: Record<string, number> = {};
  for (const o of obs.offences) byKind[o.kind] = (byKind[o.kind] ?? 0) + 1;
  // slashedAtEnd[k] is the head state of honestNodes[k].
  const views = obs.slashedAtEnd.map((slashed, k) => ({node: obs.honestNodes[k] ?? k, slashed: new Set(slashed)}));
  const unslashed = views
    .map((v) => ({node: nodeName(obs, v.node), validators: offenders.filter((i) => !v.slashed.has(i))}))
    .filter((v) => v.validators.length > 0);
  const honestSlashed = [...new Set(obs.slashedAtEnd.flat().filter((i) => !byzantine.has(i)))].sort((a, b) => a - b);
  const slashedEverywhere = offenders.filter((i) => views.length > 0 && views.every((v) => v.slashed.has(i)));
  const details = {
    slasher: obs.scenario.slasher,
    expectedOffendersSlashed: expectSlashed ?? null,
    offences: byKind,
    offenders,
    slashedEverywhere,
    unslashed,
    honestSlashed,
  };
  const honestText = honestSlashed.length === 0 ? "no honest validator slashed" : `HONEST VALIDATORS SLASHED: ${formatIndices(honestSlashed)}`;
  if (!obs.scenario.slasher) {
    return {
      name: "accountability",
      pass: honestSlashed.length === 0,
      summary: `slasher off: ${offenders.length} offenders, ${slashedEverywhere.length} slashed; ${honestText}`,
      details,
    };
  }
  const missing = [...new Set(unslashed.flatMap((u) => u.validators))];
  const offenderText =
    offenders.length === 0
      ? "no offences"
      : `${slashedEverywhere.length}/${offenders.length} offenders slashed in every honest view` + (missing.length > 0 ? ` (not: ${formatIndices(missing)})` : "");
  const pass = honestSlashed.length === 0 && (expectSlashed !== true || missing.length === 0);
  return {name: "accountability", pass, summary: `${offenderText}; ${honestText}`, details};
}

// ---------------------------------------------------------------- reorgs

function reorgsVerdict(obs: Observations): Verdict {
  const {maxReorgs, minReorgs, maxOrphanedHonestBlocks: maxOrphaned, minOrphanedHonestBlocks: minOrphaned} = obs.scenario.expect;
  const honest = new Set(obs.honestNodes);
  const reorgs = obs.reorgs.filter((r) => honest.has(r.node));
  const maxDepth = reorgs.reduce((m, r) => Math.max(m, r.depth), 0);
  const distinct = new Set(reorgs.map((r) => `${r.oldHead}>${r.newHead}`)).size;
  const perNode: Record<string, number> = {};
  for (const r of reorgs) perNode[nodeName(obs, r.node)] = (perNode[nodeName(obs, r.node)] ?? 0) + 1;
  const orphaned = orphanedHonestBlocks(obs);
  const bounds = [
    minReorgs === undefined ? "" : `at least ${minReorgs} reorgs`,
    maxReorgs === undefined ? "" : `at most ${maxReorgs} reorgs`,
    minOrphaned === undefined ? "" : `at least ${minOrphaned} orphaned`,
    maxOrphaned === undefined ? "" : `at most ${maxOrphaned} orphaned`,
  ].filter((x) => x !== "");
  const pass =
    (minReorgs === undefined || reorgs.length >= minReorgs) &&
    (maxReorgs === undefined || reorgs.length <= maxReorgs) &&
    (minOrphaned === undefined || orphaned.length >= minOrphaned) &&
    (maxOrphaned === undefined || orphaned.length <= maxOrphaned);
  return {
    name: "reorgs",
    pass,
    summary:
      `${plural(reorgs.length, "reorg")} in honest views (${distinct} distinct, max depth ${maxDepth}), ${plural(orphaned.length, "honest block")} orphaned` +
      (bounds.length === 0 ? "" : `, expected ${bounds.join(" and ")}`),
    details: {
      expectedMin: minReorgs ?? null,
      expectedMax: maxReorgs ?? null,
      count: reorgs.length,
      distinct,
      maxDepth,
      perNode,
      orphanedHonestBlocks: orphaned.map((b) => ({slot: b.slot, root: b.root, proposer: b.proposer})),
      expectedMinOrphaned: minOrphaned ?? null,
      expectedMaxOrphaned: maxOrphaned ?? null,
    },
  };
}

/** Blocks of honest proposers on no honest node's final chain, by slot. */
export function orphanedHonestBlocks(obs: Observations): BlockObservation[] {
  const byzantine = new Set(obs.byzantineValidators);
  const canonical = new Set<string>();
  for (const node of obs.honestNodes) {
    let root: string | undefined = obs.views[node]?.at(-1)?.headRoot;
    while (root !== undefined && !canonical.has(root)) {
      canonical.add(root);
      root = obs.blocks.get(root)?.parentRoot;
    }
  }
  return [...obs.blocks.values()].filter((b) => !byzantine.has(b.proposer) && !canonical.has(b.root)).sort((a, b) => a.slot - b.slot || (a.root < b.root ? -1 : 1));
}

// ---------------------------------------------------------------- participation

function participationVerdict(obs: Observations): Verdict {
  const min = obs.scenario.expect.minParticipation;
  const disturbed = disturbedEpochs(obs.scenario, obs.slotsPerEpoch);
  const judged = obs.participation.filter((p): p is {epoch: number; targetParticipation: number} => p.targetParticipation !== null && !disturbed.has(p.epoch));
  const left = obs.participation.filter((p) => p.targetParticipation !== null && disturbed.has(p.epoch)).map((p) => p.epoch);
  let lowest: {epoch: number; targetParticipation: number} | null = null;
  for (const p of judged) if (lowest === null || p.targetParticipation < lowest.targetParticipation) lowest = p;
  const details = {expectedAtLeast: min ?? null, lowest: lowest === null ? null : {epoch: lowest.epoch, value: ratio(lowest.targetParticipation)}, judgedEpochs: judged.length, leftOutEpochs: left};
  const expectText = min === undefined ? "" : `, expected at least ${pct(min)}`;
  const leftText = left.length === 0 ? "" : ` (${left.length} left out: partition or offline)`;
  if (lowest === null) {
    return {name: "participation", pass: min === undefined, summary: `no epoch to judge${leftText}${expectText}`, details};
  }
  return {
    name: "participation",
    pass: min === undefined || lowest.targetParticipation >= min,
    summary: `lowest ${pct(lowest.targetParticipation)} in epoch ${lowest.epoch} over ${judged.length} epochs${leftText}${expectText}`,
    details,
  };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
