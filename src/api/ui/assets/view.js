/** Drawing: the block tree as SVG, the checkpoint and participation panels, the event log. */
import {formatGwei, formatPercent, formatTime, shortRoot} from "./format.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const COL = 58;
const ROW = 70;
const TOP = 44;
const LEFT = 30;
const R = 13;

function svg(tag, attrs = {}, parent) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (parent) parent.appendChild(el);
  return el;
}

function text(parent, x, y, content, cls) {
  const t = svg("text", {x, y, class: cls}, parent);
  t.textContent = content;
  return t;
}

const cx = (item) => LEFT + item.column * COL + COL / 2;
const cy = (item) => TOP + item.lane * ROW + ROW / 2 - 8;

/**
 * @param host the element the SVG goes into (scrolls horizontally)
 * @param layout from layoutTree
 * @param marks {headRoot, justified, finalized, proposerBoostRoot, slotsPerEpoch}
 */
export function renderTree(host, layout, marks) {
  const stickRight = host.scrollLeft + host.clientWidth >= host.scrollWidth - 4;
  const columns = layout.maxSlot - layout.minSlot + 1;
  const width = LEFT * 2 + columns * COL;
  const height = TOP + layout.lanes * ROW + 8;
  const root = svg("svg", {width, height, viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "block tree"});

  const finalizedSlot = marks.finalized.epoch * marks.slotsPerEpoch;
  const bg = svg("g", {class: "grid"}, root);
  for (let slot = layout.minSlot; slot <= layout.maxSlot; slot++) {
    const x = LEFT + (slot - layout.minSlot) * COL;
    if (slot <= finalizedSlot) svg("rect", {x, y: TOP - 6, width: COL, height: height - TOP, class: "finalized-zone"}, bg);
    if (slot % marks.slotsPerEpoch === 0) {
      svg("line", {x1: x, y1: 4, x2: x, y2: height, class: "epoch-line"}, bg);
      text(bg, x + 4, 14, `epoch ${slot / marks.slotsPerEpoch}`, "epoch-label");
    }
    text(bg, x + COL / 2, 32, String(slot), "slot-label");
  }

  const maxWeight = Math.max(1, ...layout.items.map((i) => i.weight));
  const edges = svg("g", {class: "edges"}, root);
  for (const e of layout.edges) {
    const x1 = cx(e.from), y1 = cy(e.from), x2 = cx(e.to), y2 = cy(e.to);
    const d = y1 === y2 ? `M${x1},${y1} L${x2},${y2}` : `M${x1},${y1} C${x1 + COL / 2},${y1} ${x2 - COL / 2},${y2} ${x2},${y2}`;
    svg("path", {d, class: e.canonical ? "edge canonical" : "edge", "stroke-width": 1.5 + 5 * (e.to.weight / maxWeight)}, edges);
  }

  const nodes = svg("g", {class: "nodes"}, root);
  for (const item of layout.items) {
    const classes = ["node", item.canonical ? "canonical" : "fork"];
    if (item.root === marks.headRoot) classes.push("head");
    if (item.root === marks.justified.root) classes.push("justified");
    if (item.root === marks.finalized.root) classes.push("finalized");
    if (item.root === marks.proposerBoostRoot) classes.push("boosted");
    const g = svg("g", {class: classes.join(" "), "data-root": item.root, "data-slot": item.slot, transform: `translate(${cx(item)},${cy(item)})`}, nodes);
    const title = svg("title", {}, g);
    title.textContent = [
      `slot ${item.slot}  ${item.root}`,
      `parent ${item.parent}`,
      `weight ${formatGwei(item.weight)} (${item.weight} Gwei)`,
      `justified epoch ${item.justifiedEpoch}, finalized epoch ${item.finalizedEpoch}`,
      item.canonical ? "canonical" : "not on the canonical chain",
    ].join("\n");
    svg("circle", {r: R, class: "disc", "fill-opacity": 0.25 + 0.75 * (item.weight / maxWeight)}, g);
    if (item.root === marks.headRoot) text(g, 0, -R - 6, "HEAD", "badge head-badge");
    const badges = [];
    if (item.root === marks.finalized.root) badges.push("F");
    else if (item.root === marks.justified.root) badges.push("J");
    if (badges.length > 0) text(g, 0, 4, badges.join(""), "badge cp-badge");
    if (item.root === marks.proposerBoostRoot) text(g, R + 2, -R + 2, "boost", "badge boost-badge");
    text(g, 0, R + 13, formatGwei(item.weight).replace(" ETH", ""), "weight-label");
  }

  host.replaceChildren(root);
  if (stickRight) host.scrollLeft = host.scrollWidth;
}

function setText(id, value) {
  const el = document.getElementById(id);
  if (el.textContent !== value) el.textContent = value;
}

export function renderStatus(s) {
  setText("head-slot", String(s.head.slot));
  setText("head-root", shortRoot(s.head.root));
  document.getElementById("head-root").title = s.head.root;
  setText("head-epoch", String(Math.floor(s.head.slot / s.slotsPerEpoch)));
  setText("clock-slot", s.clockSlot === null ? "before genesis" : String(s.clockSlot));
  setText("justified-epoch", String(s.finality.currentJustified.epoch));
  setText("justified-root", shortRoot(s.finality.currentJustified.root));
  setText("finalized-epoch", String(s.finality.finalized.epoch));
  setText("finalized-root", shortRoot(s.finality.finalized.root));
  setText("fc-nodes", String(s.forkChoice.nodes.length));
  const tips = countLeaves(s.forkChoice.nodes);
  setText("fc-leaves", `${tips} tip${tips === 1 ? "" : "s"}`);
  setText("boost-root", s.forkChoice.proposerBoostRoot === null ? "none" : shortRoot(s.forkChoice.proposerBoostRoot));
  document.body.dataset.headSlot = String(s.head.slot);
  document.body.dataset.headRoot = s.head.root;
  document.body.dataset.finalizedEpoch = String(s.finality.finalized.epoch);
}

function countLeaves(nodes) {
  const parents = new Set(nodes.map((n) => n.parent));
  return nodes.filter((n) => !parents.has(n.root)).length;
}

/** Bars per epoch, with the two-thirds line that justification needs. */
export function renderParticipation(host, {rows, error}) {
  if (error !== undefined) {
    host.replaceChildren(Object.assign(document.createElement("p"), {className: "error-text", textContent: `Participation unavailable: ${error}`}));
    return;
  }
  if (rows === null) {
    host.replaceChildren(Object.assign(document.createElement("p"), {className: "muted", textContent: "This node does not report participation (/gnomon/v1/participation)."}));
    return;
  }
  if (rows.length === 0) {
    host.replaceChildren(Object.assign(document.createElement("p"), {className: "muted", textContent: "No finished epoch yet."}));
    return;
  }
  const list = document.createElement("div");
  list.className = "bars";
  for (const r of rows) {
    const bar = document.createElement("div");
    bar.className = `bar${r.complete ? "" : " partial"}${r.value >= 2 / 3 ? " supermajority" : ""}`;
    bar.title = `epoch ${r.epoch}: ${formatPercent(r.value)} of the active balance voted for its target${r.complete ? "" : " (so far)"}`;
    const fill = document.createElement("div");
    fill.className = "fill";
    fill.style.height = `${Math.round(r.value * 100)}%`;
    const label = document.createElement("span");
    label.className = "bar-value";
    label.textContent = formatPercent(r.value).replace(".0%", "%");
    const epoch = document.createElement("span");
    epoch.className = "bar-epoch";
    epoch.textContent = String(r.epoch);
    bar.append(label, fill, epoch);
    list.append(bar);
  }
  const threshold = document.createElement("div");
  threshold.className = "threshold";
  threshold.title = "2/3: enough to justify";
  list.append(threshold);
  host.replaceChildren(list);
}

/** Newest first. Entries: {time: Date, kind: "reorg"|"slashing"|"finality"|"info", text}. */
export function renderLog(host, entries) {
  if (entries.length === 0) {
    host.replaceChildren(Object.assign(document.createElement("li"), {className: "muted", textContent: "No reorgs or slashings since the page opened."}));
    return;
  }
  host.replaceChildren(
    ...entries.map((e) => {
      const li = document.createElement("li");
      li.className = `log-${e.kind}`;
      const time = document.createElement("time");
      time.textContent = formatTime(e.time);
      const tag = document.createElement("span");
      tag.className = "tag";
      tag.textContent = e.kind;
      const body = document.createElement("span");
      body.textContent = e.text;
      li.append(time, tag, body);
      return li;
    })
  );
}

export function renderConnection(state, detail) {
  const el = document.getElementById("connection");
  el.className = `connection ${state}`;
  el.textContent = detail;
  document.body.dataset.connection = state;
}
