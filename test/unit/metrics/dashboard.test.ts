import {strict as assert} from "node:assert";
import {readFileSync} from "node:fs";
import {Registry} from "prom-client";
import {createBeaconMetrics, createValidatorMetrics} from "../../../src/metrics/index.ts";

interface Dashboard {
  panels: {title: string; targets: {expr: string}[]}[];
}

describe("metrics: the Grafana dashboard", () => {
  it("queries only metrics the node and the validator client export", async () => {
    const register = new Registry();
    createBeaconMetrics(register);
    createValidatorMetrics(register);
    const exported = new Set((await register.getMetricsAsJSON()).map((m) => m.name));
    const dashboard = JSON.parse(readFileSync(new URL("../../../dashboards/gnomon.json", import.meta.url), "utf8")) as Dashboard;
    assert.ok(dashboard.panels.length > 10);
    const used = new Set<string>();
    for (const p of dashboard.panels) {
      assert.ok(p.targets.length > 0, `panel ${p.title} has no query`);
      for (const t of p.targets) {
        for (const m of t.expr.matchAll(/\b((?:beacon|libp2p|vc|process|nodejs)_[a-z0-9_]+)/g)) used.add(m[1].replace(/_(bucket|sum|count)$/, ""));
      }
    }
    const missing = [...used].filter((name) => !exported.has(name));
    assert.deepEqual(missing, []);
    for (const name of ["beacon_head_slot", "beacon_finalized_epoch", "libp2p_peers", "beacon_gossip_messages_total", "vc_published_total"]) assert.ok(used.has(name), name);
  });
});
