/**
 * The live view: reads fork choice, checkpoints and participation once, then again on every event
 * of the node's stream (head, block, finality, reorg) and at least once a slot (attestations move
 * weights without any event), and keeps a log of reorgs, slashings and finalizations.
 */
import {createClient} from "./client.js";
import {layoutTree} from "./layout.js";
import {shortRoot, slashedIndices} from "./format.js";
import {renderConnection, renderLog, renderParticipation, renderStatus, renderTree} from "./view.js";

const SLOTS_SHOWN = 64;
const PARTICIPATION_EPOCHS = 16;
const LOG_ENTRIES = 200;

const params = new URLSearchParams(location.search);
const client = createClient(params.get("node") ?? location.origin);
const log = [];

function addLog(kind, text) {
  log.unshift({time: new Date(), kind, text});
  log.length = Math.min(log.length, LOG_ENTRIES);
  renderLog(document.getElementById("log"), log);
}

let streamOpen = false;
function showStream() {
  if (streamOpen) renderConnection("live", "live: event stream open");
  else renderConnection("polling", "event stream closed, reconnecting; polling meanwhile");
}

let spec;


let refreshing = false;
let again = false;

async function refresh() {
  if (refreshing) {
    again = true;
    return;
  }
  refreshing = true;
  try {
    do {
      again = false;
      // Participation is drawn apart: its failure must not hide the tree.
      const participation = client.participation(PARTICIPATION_EPOCHS).then(
        (rows) => ({rows}),
        (e) => ({error: e.message})
      );
      const [head, finality, forkChoice, clockSlot] = await Promise.all([client.head(), client.finality(), client.forkChoice(), client.clockSlot()]);
      const headRoot = forkChoice.headRoot ?? head.root;
      renderStatus({head, finality, forkChoice, slotsPerEpoch: spec.slotsPerEpoch, clockSlot});
      renderTree(document.getElementById("tree"), layoutTree(forkChoice.nodes, headRoot, SLOTS_SHOWN), {
        headRoot,
        justified: forkChoice.justified,
        finalized: forkChoice.finalized,
        proposerBoostRoot: forkChoice.proposerBoostRoot,
        slotsPerEpoch: spec.slotsPerEpoch,
      });
      renderParticipation(document.getElementById("participation"), await participation);
      document.body.dataset.updated = new Date().toISOString();
    } while (again);
    if (document.body.dataset.connection === "error") showStream();
  } catch (e) {
    renderConnection("error", `cannot read ${client.baseUrl}: ${e.message}`);
  } finally {
    refreshing = false;
  }
}

let pending = null;
/** Events come in bursts (block, head, finality at an epoch boundary): one read for the burst. */
function refreshSoon() {
  if (pending !== null) return;
  pending = setTimeout(() => {
    pending = null;
    void refresh();
  }, 100);
}

function onEvent(topic, d) {
  switch (topic) {
    case "chain_reorg":
      addLog("reorg", `depth ${d.depth} at slot ${d.slot}: head ${shortRoot(d.old_head_block)} → ${shortRoot(d.new_head_block)}`);
      break;
    case "attester_slashing":
      addLog("slashing", `attester slashing of validator${slashedIndices(d).length === 1 ? "" : "s"} ${slashedIndices(d).join(", ")} (target epoch ${d.attestation_1.data.target.epoch})`);
      break;
    case "proposer_slashing":
      addLog("slashing", `proposer slashing of validator ${d.signed_header_1.message.proposer_index} (slot ${d.signed_header_1.message.slot})`);
      break;
    case "finalized_checkpoint":
      addLog("finality", `finalized epoch ${d.epoch} (${shortRoot(d.block)})`);
      break;
  }
  refreshSoon();
}

async function start() {
  renderConnection("connecting", `connecting to ${client.baseUrl}`);
  for (;;) {
    try {
      // Genesis too: a node that does not know it yet has nothing to show.
      [spec] = await Promise.all([client.spec(), client.genesis()]);
      break;
    } catch (e) {
      renderConnection("error", `cannot read ${client.baseUrl}: ${e.message}; retrying`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  document.getElementById("node-url").textContent = client.baseUrl;
  document.getElementById("network").textContent = `${spec.configName || spec.presetBase} · ${spec.slotsPerEpoch} slots/epoch · ${spec.secondsPerSlot} s/slot`;
  client.version().then((v) => (document.getElementById("node-version").textContent = v)).catch(() => undefined);

  try {
    const pooled = await client.pooledSlashings();
    for (const s of pooled.attester) addLog("slashing", `in the pool: attester slashing of validators ${slashedIndices(s).join(", ")}`);
    for (const s of pooled.proposer) addLog("slashing", `in the pool: proposer slashing of validator ${s.signed_header_1.message.proposer_index}`);
  } catch {
    // Pools are a courtesy on load; the stream reports new slashings.
  }
  renderLog(document.getElementById("log"), log);

  client.subscribe(onEvent, (open) => {
    streamOpen = open;
    showStream();
    // Whatever happened while the stream was down is read at once.
    if (open) refreshSoon();
  });
  await refresh();
  setInterval(() => void refresh(), Math.max(1000, spec.secondsPerSlot * 1000));
}

void start();
