import {strict as assert} from "node:assert";
import {createHash} from "node:crypto";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {interopPubkey, verify} from "../../../src/crypto/index.ts";
import {main} from "../../../src/cli/main.ts";
import {ListCompositeType} from "@chainsafe/ssz";
import {DEPOSIT_CONTRACT_TREE_DEPTH, DOMAIN_DEPOSIT, FAR_FUTURE_EPOCH, useNetwork, type ChainConfig} from "../../../src/params/index.ts";
import {computeDomain, computeSigningRoot, getActiveValidatorIndices, isValidGenesisState} from "../../../src/state-transition/index.ts";
import {ssz, type BeaconStateView} from "../../../src/types/index.ts";
import {toHex} from "../../../src/util/bytes.ts";
import {interopDeposits} from "../../../src/node/genesis/interopDeposits.ts";
import {createInteropGenesisState} from "../../../src/node/genesis/interopGenesis.ts";

// Pinned from this implementation and cross-checked below by an independent derivation.
const GENESIS_VALIDATORS_ROOT_64_MINIMAL = "0x83431ec7fcf92cfc44947fc0418e831c25e1d0806590231c439830db7ad54fda";

describe("genesis / interop genesis (minimal, 64 validators)", () => {
  let state: BeaconStateView;
  let genesisTime: number;
  let config: ChainConfig;

  before(async () => {
    config = useNetwork("minimal");
    genesisTime = config.MIN_GENESIS_TIME;
    state = (await createInteropGenesisState({config, validators: 64, genesisTime})).state;
  });
  after(() => useNetwork("mainnet"));

  it("is a valid genesis state with 64 active validators", () => {
    assert.equal(state.genesis_time, genesisTime);
    assert.ok(isValidGenesisState(config, state));
    assert.equal(getActiveValidatorIndices(state, 0).length, 64);
    assert.deepEqual(state.balances.getAll(), new Array(64).fill(32_000_000_000));
    assert.equal(state.eth1_deposit_index, 64);
    assert.equal(state.eth1_data.deposit_count, 64);
    assert.equal(toHex(state.eth1_data.block_hash), "0x" + "42".repeat(32));
    // The deposit root after the last deposit: the root of all 64 deposit data, as an SSZ list.
    const DepositDataList = new ListCompositeType(ssz.DepositData, 2 ** DEPOSIT_CONTRACT_TREE_DEPTH);
    const {deposits, depositRoot} = interopDeposits(config, 64);
    assert.equal(toHex(depositRoot), toHex(DepositDataList.hashTreeRoot(deposits.map((d) => d.data))));
    assert.equal(toHex(state.eth1_data.deposit_root), toHex(depositRoot));
  });

  it("has the stable genesis_validators_root, equal to an independent derivation from the pubkeys", () => {
    // Validators as the interop genesis defines them, hashed as a plain SSZ value (no state tree),
    // withdrawal credentials from node:crypto rather than the client's sha256.
    const validators = Array.from({length: 64}, (_, i) => {
      const pubkey = interopPubkey(i);
      const wc = new Uint8Array(createHash("sha256").update(pubkey).digest());
      wc[0] = 0;
      return {
        pubkey,
        withdrawal_credentials: wc,
        effective_balance: 32_000_000_000,
        slashed: false,
        activation_eligibility_epoch: 0,
        activation_epoch: 0,
        exit_epoch: FAR_FUTURE_EPOCH,
        withdrawable_epoch: FAR_FUTURE_EPOCH,
      };
    });
    const independent = toHex(ssz.BeaconState.fields.validators.hashTreeRoot(validators));
    assert.equal(independent, GENESIS_VALIDATORS_ROOT_64_MINIMAL);
    assert.equal(toHex(state.genesis_validators_root), GENESIS_VALIDATORS_ROOT_64_MINIMAL);
  });

  it("deposits carry valid proofs of possession under the genesis fork version", () => {
    const {deposits} = interopDeposits(config, 3);
    const domain = computeDomain(DOMAIN_DEPOSIT, config.GENESIS_FORK_VERSION);
    for (const {data} of deposits) {
      const {signature, ...message} = data;
      assert.ok(verify(data.pubkey, computeSigningRoot(ssz.DepositMessage, message, domain), signature));
    }
  });

  describe("gnomon genesis", () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), "gnomon-genesis-"));
    });
    after(() => {
      rmSync(dir, {recursive: true, force: true});
      useNetwork("mainnet");
    });

    it("writes the SSZ state", async () => {
      const out = join(dir, "genesis.ssz");
      const args = ["genesis", "--validators", "64", "--genesis-time", String(genesisTime), "--preset", "minimal", "--out", out];
      const code = await quietly(() => main(args));
      assert.equal(code, 0);
      useNetwork("minimal");
      const written = ssz.BeaconState.deserialize(readFileSync(out));
      assert.equal(toHex(ssz.BeaconState.hashTreeRoot(written)), toHex(state.hashTreeRoot()));
    });

    it("refuses bad input with exit status 2", async () => {
      const cases = [
        ["genesis", "--validators", "64", "--genesis-time", "0"],
        ["genesis", "--validators", "six", "--genesis-time", "0", "--out", join(dir, "x")],
        ["genesis", "--validators", "4", "--genesis-time", "0", "--out", join(dir, "missing", "x")],
        ["genesis", "--validators", "4", "--genesis-time", "0", "--out", join(dir, "x"), "--preset", "testnet"],
        ["genesis", "--validators", "4", "--genesis-time", "0", "--out", join(dir, "x"), "--config", join(dir, "none.yaml")],
      ];
      for (const args of cases) assert.equal(await quietly(() => main(args)), 2, args.join(" "));
    });
  });
});

/** Runs a CLI call with its console and stderr output swallowed. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const log = console.log;
  const error = console.error;
  const write = process.stderr.write;
  console.log = () => {};
  console.error = () => {};
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return await fn();
  } finally {
    console.log = log;
    console.error = error;
    process.stderr.write = write;
  }
}
