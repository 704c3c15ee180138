/**
 * `gnomon beacon --slasher` with `gnomon validator` for interop validators 0..59 (minimal preset,
 * 1-second slots): the test alone signs for validators 60 and 61, so their only votes are the
 * test's. Validator 60 votes (E-2, E-1), then (E-3, E), which surrounds it; validator 61 votes
 * (E-3, E), then (E-2, E-1), which it surrounds. Both are found as surround votes (the node logs
 * the kind), slashed on chain within 2 epochs with the spec's penalty, and nobody else is.
 */
import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {useNetwork} from "../../../src/params/index.ts";
import {runGnomon, startInteropBeacon, stopProcess, type Proc} from "../helpers/processes.ts";
import {ChainProbe, SLOTS_PER_EPOCH} from "./probe.ts";

const VALIDATORS = 64;

describe("e2e: gnomon beacon --slasher, surround votes both ways", function () {
  this.timeout(240_000);
  let dir: string;
  let beacon: Proc | undefined;
  let vc: Proc | undefined;
  let probe: ChainProbe;

  before(async () => {
    useNetwork("minimal");
    dir = mkdtempSync(join(tmpdir(), "gnomon-e2e-surround-"));
    const genesisTime = Math.floor(Date.now() / 1000) + 6;
    let url: string;
    ({beacon, url} = await startInteropBeacon(dir, {validators: VALIDATORS, genesisTime, slotMs: 1000, extraArgs: ["--slasher"]}));
    vc = runGnomon(["validator", "--interop-indices", "0..59", "--beacon-node", url, "--data-dir", join(dir, "vc"), "--log-level", "info"]);
    probe = new ChainProbe(url, VALIDATORS);
    await probe.init();
  });
  after(async () => {
    useNetwork("mainnet");
    await stopProcess(vc);
    await stopProcess(beacon);
    rmSync(dir, {recursive: true, force: true});
  });

  it("slashes a surrounding and a surrounded vote, found as such", async () => {
    const E = 4;
    // The last slot of epoch E: both validators' duty slots of E are past, so their votes are valid now.
    await probe.untilSlot(E * SLOTS_PER_EPOCH + SLOTS_PER_EPOCH - 1, 90_000);
    const narrow = (k: number) => probe.forgedAttestation(k, E - 1, (d) => void (d.source.epoch = E - 2));
    const wide = (k: number) => probe.forgedAttestation(k, E, (d) => void (d.source.epoch = E - 3));
    const second = [await wide(60), await narrow(61)];
    for (const att of [await narrow(60), await wide(61)]) {
      const res = await probe.postAttestation(att);
      assert.equal(res.status, 200, res.text);
    }
    // One slasher batch later (the batch runs at each slot's start), the second votes.
    await probe.untilSlot((E + 1) * SLOTS_PER_EPOCH + 1, 30_000);
    for (const att of second) {
      const res = await probe.postAttestation(att);
      assert.equal(res.status, 200, res.text);
    }

    const deadline = (E + 3) * SLOTS_PER_EPOCH;
    await probe.expectSlashedWithPenalty(60, deadline);
    await probe.expectSlashedWithPenalty(61, deadline);
    assert.deepEqual(await probe.slashedSet(), [60, 61]);
    const detected = beacon!.lines.filter((l) => l.includes("slashable offence detected")).map((l) => JSON.parse(l) as {validator: number; kind: string});
    assert.deepEqual(
      detected.map((d) => `${d.validator}:${d.kind}`).sort(),
      ["60:surrounds_existing", "61:surrounded_by_existing"]
    );
    // attestation_1 surrounds attestation_2 in both (the order is_slashable_attestation_data checks).
    for (const s of (await probe.includedSlashings()).filter((x) => x.offenders.some((o) => o >= 60))) assert.deepEqual(s.targets, [E, E - 1]);
  });
});
