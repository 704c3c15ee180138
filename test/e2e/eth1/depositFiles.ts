/**
 * Deposit data files in the stakers' format for interop keys (until keys come from
 * `gnomon keys new`): written by this test process under the same chain config the processes use.
 */
import {writeFileSync} from "node:fs";
import {depositDataJson} from "../../../src/eth1/index.ts";
import {interopDepositData, interopDepositParams} from "../../../src/node/genesis/interopDeposits.ts";
import {parseChainConfigYaml, useNetwork} from "../../../src/params/index.ts";

/** Writes interop validators [from, to) to `path`, signed for the network of `configYaml`. */
export function writeInteropDepositData(path: string, configYaml: string, from: number, to: number): void {
  useNetwork("minimal", parseChainConfigYaml(configYaml));
  const params = interopDepositParams();
  const entries = [];
  for (let i = from; i < to; i++) entries.push(depositDataJson(interopDepositData(i, params), "gnomon-eth1-test"));
  writeFileSync(path, JSON.stringify(entries, null, 2));
}
