import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {chainConfigYaml, planDevnet} from "../../../src/cli/commands/devnet.ts";
import {createChainConfig, defaultConfigRaw} from "../../../src/params/index.ts";
import {farFutureForkEpochs, readConfigFile} from "../../../src/node/index.ts";

describe("gnomon devnet", () => {
  it("splits the validators between the nodes, shares differing by at most one, ports counted up from the base", () => {
    const plan = planDevnet({nodes: 4, validators: 64, dataDir: "/d", restPort: 5052, p2pPort: 9000});
    assert.deepEqual(
      plan.map((p) => [p.dataDir, p.restPort, p.p2pPort, p.validators]),
      [
        ["/d/node-0", 5052, 9000, {from: 0, to: 15}],
        ["/d/node-1", 5053, 9001, {from: 16, to: 31}],
        ["/d/node-2", 5054, 9002, {from: 32, to: 47}],
        ["/d/node-3", 5055, 9003, {from: 48, to: 63}],
      ]
    );
    const uneven = planDevnet({nodes: 3, validators: 10, dataDir: "/d", restPort: 1, p2pPort: 2}).map((p) => p.validators);
    assert.deepEqual(uneven, [{from: 0, to: 2}, {from: 3, to: 5}, {from: 6, to: 9}]);
    const more = planDevnet({nodes: 3, validators: 2, dataDir: "/d", restPort: 1, p2pPort: 2}).map((p) => p.validators);
    assert.deepEqual(more, [null, {from: 0, to: 0}, {from: 1, to: 1}]);
  });

  it("writes a chain config YAML that reads back as the same config", () => {
    const overrides = {...farFutureForkEpochs(defaultConfigRaw("minimal")), SECONDS_PER_SLOT: "2"};
    const cfg = createChainConfig("minimal", overrides);
    const dir = mkdtempSync(join(tmpdir(), "gnomon-devnet-"));
    try {
      const path = join(dir, "config.yaml");
      writeFileSync(path, chainConfigYaml(cfg.raw));
      const read = readConfigFile(path);
      assert.equal(read.preset, "minimal");
      const again = createChainConfig("minimal", read.overrides);
      assert.equal(again.SLOT_DURATION_MS, 2000);
      assert.equal(again.ALTAIR_FORK_EPOCH, Infinity);
      assert.deepEqual(again.GENESIS_FORK_VERSION, cfg.GENESIS_FORK_VERSION);
      assert.deepEqual(again.raw, cfg.raw);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
