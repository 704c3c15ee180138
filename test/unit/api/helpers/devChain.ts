/**
 * A real chain for the API tests: a minimal-preset interop genesis in a temporary level database,
 * a BeaconChain on a fake clock, and helpers that act as the validators (propose and attest with
 * the interop keys) so the chain has history to serve.
 */
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {BeaconDb} from "../../../../src/db/index.ts";
import {BeaconChain} from "../../../../src/chain/chain.ts";
import {initGenesisOps, readAnchor} from "../../../../src/chain/persist.ts";
import {FakeTime} from "../../../../src/clock/index.ts";
import {interopSecretKey, sign, aggregate as aggregateSignatures} from "../../../../src/crypto/index.ts";
import {interopDeposits} from "../../../../src/node/genesis/interopDeposits.ts";
import {
  computeEpochAtSlot,
  computeSigningRoot,
  getDomain,
  initializeBeaconStateFromEth1,
} from "../../../../src/state-transition/index.ts";
import {
  DOMAIN_BEACON_ATTESTER,
  DOMAIN_BEACON_PROPOSER,
  DOMAIN_RANDAO,
  SLOTS_PER_EPOCH,
  useNetwork,
  type ChainConfig,
  type PresetName,
} from "../../../../src/params/index.ts";
import {primitive, ssz, type Attestation, type AttestationData, type BeaconBlock, type SignedBeaconBlock} from "../../../../src/types/index.ts";
import {BitArray} from "@chainsafe/ssz";

export const VALIDATOR_COUNT = 64;
export const GENESIS_TIME = 1_700_000_000;

export interface DevChain {
  chain: BeaconChain;
  db: BeaconDb;
  time: FakeTime;
  /** Moves the fake clock to the start of `slot` (plus `offsetMs`) and lets the chain's ticks run. */
  advanceTo(slot: number, offsetMs?: number): Promise<void>;
  randaoReveal(slot: number, proposer: number): Uint8Array;
  signBlock(block: BeaconBlock): SignedBeaconBlock;
  /** Produces, signs and imports the block of `slot` (the clock must be there). */
  proposeBlock(slot: number): Promise<SignedBeaconBlock>;
  /** Every committee of `slot` attests to `data` of its own index: one unaggregated attestation per member. */
  attestations(slot: number, dataFor: (committeeIndex: number) => AttestationData): Attestation[];
  signAttestationData(data: AttestationData, validatorIndex: number): Uint8Array;
  proposerOf(slot: number): Promise<number>;
  close(): Promise<void>;
}

const genesisBytes = new Map<PresetName, Uint8Array>();

function genesisState(config: ChainConfig): Uint8Array {
  const preset = config.PRESET_BASE;
  let bytes = genesisBytes.get(preset);
  if (bytes === undefined) {
    const {deposits} = interopDeposits(config, VALIDATOR_COUNT);
    const genesis = initializeBeaconStateFromEth1(config, new Uint8Array(32).fill(0x42), 2 ** 40, deposits);
    genesis.state.genesis_time = GENESIS_TIME;
    genesis.state.commit();
    bytes = genesis.state.serialize();
    genesisBytes.set(preset, bytes);
  }
  return bytes;
}

/** A chain on the minimal preset unless told otherwise (the caller restores the network after). */
export async function createDevChain(opts: {preset?: PresetName} = {}): Promise<DevChain> {
  const preset = opts.preset ?? "minimal";
  const config = useNetwork(preset);
  const dir = mkdtempSync(join(tmpdir(), "gnomon-api-"));
  const db = await BeaconDb.open(dir);
  const state = ssz.BeaconState.deserializeToViewDU(genesisState(config));
  const {ops} = initGenesisOps(db, state, {preset, configOverrides: {}});
  await db.batch(ops, true);
  const anchor = await readAnchor(db);
  if (anchor === null) throw new Error("genesis anchor not stored");
  const time = new FakeTime(GENESIS_TIME * 1000);
  const chain = new BeaconChain({config, db, anchor, time});
  await chain.replayStoredBlocks();
  chain.start();

  const headState = () => chain.getHead().state.state;
  const settle = async () => {
    // Clock ticks run through the chain's lock; wait until they are done.
    await chain.lock.run(async () => undefined);
  };

  const dev: DevChain = {
    chain,
    db,
    time,
    async advanceTo(slot, offsetMs = 0) {
      const target = GENESIS_TIME * 1000 + slot * config.SLOT_DURATION_MS + offsetMs;
      if (target > time.now()) time.advance(target - time.now());
      await settle();
    },
    randaoReveal(slot, proposer) {
      const epoch = computeEpochAtSlot(slot);
      const root = computeSigningRoot(primitive.Uint64, epoch, getDomain(headState(), DOMAIN_RANDAO, epoch));
      return sign(interopSecretKey(proposer), root);
    },
    signBlock(block) {
      const domain = getDomain(headState(), DOMAIN_BEACON_PROPOSER, computeEpochAtSlot(block.slot));
      return {message: block, signature: sign(interopSecretKey(block.proposer_index), computeSigningRoot(ssz.BeaconBlock, block, domain))};
    },
    async proposerOf(slot) {
      const duties = await chain.getProposerDuties(computeEpochAtSlot(slot));
      const duty = duties.duties.find((d) => d.slot === slot);
      if (duty === undefined) throw new Error(`no proposer duty for slot ${slot}`);
      return duty.validatorIndex;
    },
    async proposeBlock(slot) {
      const proposer = await dev.proposerOf(slot);
      const {block} = await chain.produceBlock(slot, dev.randaoReveal(slot, proposer), new Uint8Array(32));
      const signed = dev.signBlock(block);
      await chain.processBlock(signed, "api");
      await settle();
      return signed;
    },
    signAttestationData(data, validatorIndex) {
      const domain = getDomain(headState(), DOMAIN_BEACON_ATTESTER, data.target.epoch);
      return sign(interopSecretKey(validatorIndex), computeSigningRoot(ssz.AttestationData, data, domain));
    },
    attestations(slot, dataFor) {
      const cached = chain.getHead().state;
      const epoch = computeEpochAtSlot(slot);
      const out: Attestation[] = [];
      const count = cached.epochCtx.getCommitteeCountPerSlot(epoch);
      for (let c = 0; c < count; c++) {
        const committee = cached.epochCtx.getBeaconCommittee(slot, c);
        const data = dataFor(c);
        committee.forEach((validator, position) => {
          const bits = BitArray.fromBitLen(committee.length);
          bits.set(position, true);
          out.push({aggregation_bits: bits, data, signature: dev.signAttestationData(data, validator)});
        });
      }
      return out;
    },
    async close() {
      await chain.stop();
      await db.close();
      rmSync(dir, {recursive: true, force: true});
    },
  };
  return dev;
}

export {aggregateSignatures, SLOTS_PER_EPOCH};
