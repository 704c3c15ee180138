/**
 * The live view's only access to a node: every URL it reads is here. The page reads the node that
 * served it, or the one named by `?node=http://host:port` (that node must allow the page's origin
 * through its CORS setting). A simulation's server only has to answer these same paths.
 */
export const PATHS = {
  spec: "/eth/v1/config/spec",
  genesis: "/eth/v1/beacon/genesis",
  version: "/eth/v1/node/version",
  headHeader: "/eth/v1/beacon/headers/head",
  syncing: "/eth/v1/node/syncing",
  finality: "/eth/v1/beacon/states/head/finality_checkpoints",
  forkChoice: "/eth/v1/debug/fork_choice",
  participation: (epochs) => `/gnomon/v1/participation?epochs=${epochs}`,
  attesterSlashings: "/eth/v2/beacon/pool/attester_slashings",
  proposerSlashings: "/eth/v1/beacon/pool/proposer_slashings",
  events: (topics) => `/eth/v1/events?topics=${topics.join(",")}`,
};

export const EVENT_TOPICS = ["head", "block", "finalized_checkpoint", "chain_reorg", "attester_slashing", "proposer_slashing"];

/** An endpoint this node does not serve (another client has no /gnomon routes): not an outage. */
export class NotServedError extends Error {}

const ZERO_ROOT = "0x" + "00".repeat(32);

function checkpoint(c) {
  return {epoch: Number(c.epoch), root: c.root};
}

export function createClient(base) {
  const url = (path) => new URL(path, base).toString();

  async function get(path) {
    const res = await fetch(url(path), {headers: {Accept: "application/json"}});
    if (res.status === 404 || res.status === 405) throw new NotServedError(`${path}: ${res.status}`);
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
    return res.json();
  }

  return {
    baseUrl: base,

    async spec() {
      const d = (await get(PATHS.spec)).data;
      return {slotsPerEpoch: Number(d.SLOTS_PER_EPOCH), secondsPerSlot: d.SLOT_DURATION_MS !== undefined ? Number(d.SLOT_DURATION_MS) / 1000 : Number(d.SECONDS_PER_SLOT), presetBase: d.PRESET_BASE ?? "", configName: d.CONFIG_NAME ?? ""};
    },

    async genesis() {
      const d = (await get(PATHS.genesis)).data;
      return {genesisTime: Number(d.genesis_time)};
    },

    async version() {
      return (await get(PATHS.version)).data.version;
    },

    async head() {
      const d = (await get(PATHS.headHeader)).data;
      return {root: d.root, slot: Number(d.header.message.slot), proposerIndex: Number(d.header.message.proposer_index)};
    },

    /** The node's own clock (virtual in a simulation): its head slot plus its distance behind. */
    async clockSlot() {
      const d = (await get(PATHS.syncing)).data;
      return Number(d.head_slot) + Number(d.sync_distance);
    },

    async finality() {
      const d = (await get(PATHS.finality)).data;
      return {previousJustified: checkpoint(d.previous_justified), currentJustified: checkpoint(d.current_justified), finalized: checkpoint(d.finalized)};
    },

    /** Weights are Gwei as numbers: exact up to 2^53 Gwei, and only drawn, never summed back. */
    async forkChoice() {
      const d = await get(PATHS.forkChoice);
      const extra = d.extra_data ?? {};
      return {
        justified: checkpoint(d.justified_checkpoint),
        finalized: checkpoint(d.finalized_checkpoint),
        headRoot: extra.head_root ?? null,
        proposerBoostRoot: extra.proposer_boost_root && extra.proposer_boost_root !== ZERO_ROOT ? extra.proposer_boost_root : null,
        nodes: d.fork_choice_nodes.map((n) => ({
          slot: Number(n.slot),
          root: n.block_root,
          parent: n.parent_root,
          weight: Number(n.weight),
          justifiedEpoch: Number(n.justified_epoch),
          finalizedEpoch: Number(n.finalized_epoch),
          validity: n.validity,
        })),
      };
    },

    /** Per-epoch target participation, or null where the node does not serve it. */
    async participation(epochs) {
      try {
        return (await get(PATHS.participation(epochs))).data.map((r) => ({epoch: Number(r.epoch), value: Number(r.target_participation), complete: r.complete === true}));
      } catch (e) {
        if (e instanceof NotServedError) return null;
        throw e;
      }
    },

    async pooledSlashings() {
      const [attester, proposer] = await Promise.all([get(PATHS.attesterSlashings), get(PATHS.proposerSlashings)]);
      return {attester: attester.data, proposer: proposer.data};
    },

    /**
     * Opens the event stream; `onEvent(topic, data)` per event, `onStatus(open)` when the stream
     * opens or drops (EventSource reconnects by itself). Returns a close function.
     */
    subscribe(onEvent, onStatus) {
      const source = new EventSource(url(PATHS.events(EVENT_TOPICS)));
      for (const topic of EVENT_TOPICS) {
        source.addEventListener(topic, (ev) => {
          let data;
          try {
            data = JSON.parse(ev.data);
          } catch {
            return;
          }
          onEvent(topic, data);
        });
      }
      source.onopen = () => onStatus(true);
      source.onerror = () => onStatus(false);
      return () => source.close();
    },
  };
}
