import {strict as assert} from "node:assert";
import {OperationError, OperationErrorCode} from "../../../src/chain/index.ts";
import {interopSecretKey, sign} from "../../../src/crypto/index.ts";
import {DOMAIN_BEACON_ATTESTER, DOMAIN_BEACON_PROPOSER, DOMAIN_VOLUNTARY_EXIT, FAR_FUTURE_EPOCH} from "../../../src/params/index.ts";
import {computeDomain, computeSigningRoot} from "../../../src/state-transition/index.ts";
import {ssz, type IndexedAttestation, type SignedBeaconBlockHeader, type SignedVoluntaryExit} from "../../../src/types/index.ts";
import {advanceTo, devConfig, InProcessValidators, openTestChain, runSlots, useDevNetwork, type TestChain} from "./helpers.ts";

async function rejects(p: Promise<unknown>, code: string, reason?: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof OperationError, String(e));
    assert.equal(e.code, code, e.message);
    if (reason !== undefined) assert.equal(e.reason, reason, e.message);
    return true;
  });
}

describe("chain: slashings and voluntary exits (validated, pooled, included)", function () {
  this.timeout(60_000);
  let t: TestChain;
  // Exits are allowed right away in this test network.
  before(() => useDevNetwork(6));
  afterEach(async () => t?.close());

  const domain = (type: Uint8Array): Uint8Array => computeDomain(type, t.chain.config.GENESIS_FORK_VERSION, t.chain.genesis.genesisValidatorsRoot);

  it("pools valid ones, refuses invalid ones with the state transition's code, and packs them into the next block", async () => {
    t = await openTestChain({validators: 64, config: devConfig(6, {SHARD_COMMITTEE_PERIOD: "0"})});
    const v = new InProcessValidators(t.chain, 64);
    await runSlots(t, v, 3);

    // Proposer slashing: the proposer of slot 2 signs a second, different header for slot 2.
    const block2 = (await t.chain.getBlockById(2))!.signedBlock.message;
    const proposer = block2.proposer_index;
    const header = (bodyRoot: Uint8Array): SignedBeaconBlockHeader => {
      const message = {slot: 2, proposer_index: proposer, parent_root: block2.parent_root, state_root: block2.state_root, body_root: bodyRoot};
      return {message, signature: sign(interopSecretKey(proposer), computeSigningRoot(ssz.BeaconBlockHeader, message, domain(DOMAIN_BEACON_PROPOSER)))};
    };
    const h1 = header(ssz.BeaconBlockBody.hashTreeRoot(block2.body));
    const h2 = header(new Uint8Array(32).fill(5));
    await rejects(t.chain.submitProposerSlashing({signed_header_1: h1, signed_header_2: h1}), OperationErrorCode.INVALID, "PROPOSER_SLASHING_HEADERS_EQUAL");
    await t.chain.submitProposerSlashing({signed_header_1: h1, signed_header_2: h2});
    await rejects(t.chain.submitProposerSlashing({signed_header_1: h1, signed_header_2: h2}), OperationErrorCode.ALREADY_KNOWN);

    // Attester slashing: validator x (no proposer of this epoch: a slashed proposer cannot propose) votes twice for epoch 0.
    const proposers = new Set((await t.chain.getProposerDuties(0)).duties.map((d) => d.validatorIndex));
    const x = [...Array(64).keys()].find((i) => !proposers.has(i))!;
    const data = await t.chain.produceAttestationData(2, 0);
    const other = {...data, beacon_block_root: (await t.chain.getBlockById(1))!.root};
    const indexed = (d: typeof data): IndexedAttestation => ({
      attesting_indices: [x],
      data: d,
      signature: sign(interopSecretKey(x), computeSigningRoot(ssz.AttestationData, d, domain(DOMAIN_BEACON_ATTESTER))),
    });
    await rejects(
      t.chain.submitAttesterSlashing({attestation_1: indexed(data), attestation_2: indexed(data)}),
      OperationErrorCode.INVALID,
      "ATTESTER_SLASHING_NOT_SLASHABLE"
    );
    await t.chain.submitAttesterSlashing({attestation_1: indexed(data), attestation_2: indexed(other)});
    assert.equal(t.chain.forkChoice.isEquivocating(x), true);

    // Voluntary exit of validator y.
    const y = 20;
    const exit = (epoch: number, signer = y): SignedVoluntaryExit => {
      const message = {epoch, validator_index: y};
      return {message, signature: sign(interopSecretKey(signer), computeSigningRoot(ssz.VoluntaryExit, message, domain(DOMAIN_VOLUNTARY_EXIT)))};
    };
    await rejects(t.chain.submitVoluntaryExit(exit(0, y + 1)), OperationErrorCode.INVALID, "VOLUNTARY_EXIT_INVALID_SIGNATURE");
    await rejects(t.chain.submitVoluntaryExit(exit(3)), OperationErrorCode.INVALID, "VOLUNTARY_EXIT_NOT_YET_VALID");
    const exits: number[] = [];
    t.chain.events.on("voluntary_exit", (e) => exits.push(e.message.validator_index));
    await t.chain.submitVoluntaryExit(exit(0));
    assert.deepEqual(exits, [y]);

    assert.equal(t.chain.getPoolProposerSlashings().length, 1);
    assert.equal(t.chain.getPoolAttesterSlashings().length, 1);
    assert.equal(t.chain.getPoolVoluntaryExits().length, 1);

    // The next block carries all three; its post-state has both slashed and y exiting.
    await advanceTo(t, 4);
    const produced = await v.propose(4);
    assert.ok(produced);
    const body = produced.message.body;
    assert.equal(body.proposer_slashings.length, 1);
    assert.equal(body.attester_slashings.length, 1);
    assert.equal(body.voluntary_exits.length, 1);
    const state = t.chain.getHead().state.state;
    assert.equal(state.slot, 4);
    assert.equal(state.validators.getReadonly(proposer).slashed, true);
    assert.equal(state.validators.getReadonly(x).slashed, true);
    assert.notEqual(state.validators.getReadonly(y).exit_epoch, FAR_FUTURE_EPOCH);
    // Not packed again once applied.
    await advanceTo(t, 5);
    const next = await v.propose(5);
    assert.ok(next);
    assert.equal(next.message.body.proposer_slashings.length + next.message.body.attester_slashings.length + next.message.body.voluntary_exits.length, 0);
  });
});
