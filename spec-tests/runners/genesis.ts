/**
 * genesis (consensus-specs tests/formats/genesis): `initialization` builds the genesis state from
 * eth1.yaml and deposits_<i>; `validity` checks is_valid_genesis_state against is_valid.yaml.
 */
import {initializeBeaconStateFromEth1, isValidGenesisState} from "../../src/state-transition/index.ts";
import {ssz, type Deposit} from "../../src/types/index.ts";
import {fromHex} from "../../src/util/bytes.ts";
import {CaseFailure, SkipCase, type CaseContext, type Runner} from "../harness/types.ts";
import {assertStateEquals, caseConfig, loadState, readMeta} from "./sanity.ts";

function runInitialization(ctx: CaseContext): void {
  const meta = readMeta(ctx);
  if (meta.depositsCount === undefined) throw new CaseFailure("meta.yaml has no deposits_count");
  const eth1 = ctx.readYaml<{eth1_block_hash?: unknown; eth1_timestamp?: unknown} | null>("eth1");
  if (eth1 === null || typeof eth1.eth1_block_hash !== "string" || typeof eth1.eth1_timestamp !== "bigint") {
    throw new CaseFailure("eth1.yaml needs eth1_block_hash (hex) and eth1_timestamp (integer)");
  }
  const deposits: Deposit[] = [];
  for (let i = 0; i < meta.depositsCount; i++) deposits.push(ssz.Deposit.deserialize(ctx.readSsz(`deposits_${i}`)));
  const genesis = initializeBeaconStateFromEth1(caseConfig(ctx), fromHex(eth1.eth1_block_hash, 32), Number(eth1.eth1_timestamp), deposits);
  assertStateEquals(ctx, genesis.state, "state");
}

function runValidity(ctx: CaseContext): void {
  readMeta(ctx);
  const state = loadState(ctx, "genesis");
  const expected = ctx.readYaml<unknown>("is_valid");
  if (typeof expected !== "boolean") throw new CaseFailure("is_valid.yaml is not a boolean");
  const actual = isValidGenesisState(caseConfig(ctx), state);
  if (actual !== expected) throw new CaseFailure(`is_valid_genesis_state returned ${actual}, expected ${expected}`);
}

export const runner: Runner = {
  name: "genesis",
  run(ctx: CaseContext): void {
    if (ctx.handler === "initialization") return runInitialization(ctx);
    if (ctx.handler === "validity") return runValidity(ctx);
    throw new SkipCase(`genesis handler ${ctx.handler} is not a phase0 handler`);
  },
};
