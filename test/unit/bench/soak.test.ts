import {strict as assert} from "node:assert";
import {formatStatusLine} from "../../../src/node/statusLine.ts";
import {
  ChainChecks,
  computeVerdict,
  cpuPercent,
  formatElapsed,
  linearSlope,
  parseDuration,
  parseLogLine,
  parseStatusLine,
  type Sample,
  type StatusLine,
} from "../../../bench/soak/analysis.ts";
import {openTestChain, useDevNetwork} from "../chain/helpers.ts";

function line(slot: number, finalizedEpoch: number, participation: number | null = 1, headSlot = slot): StatusLine {
  return {slot, epoch: Math.floor(slot / 8), headSlot, justifiedEpoch: Math.max(0, finalizedEpoch + 1), finalizedEpoch, participation};
}

describe("bench soak: analysis", () => {
  it("reads the status line gnomon dev writes", async () => {
    const config = useDevNetwork(2);
    const t = await openTestChain({validators: 64, config});
    try {
      const text = formatStatusLine(t.chain, 3, 0);
      assert.deepEqual(parseStatusLine(text), {slot: 3, epoch: 0, headSlot: 0, justifiedEpoch: 0, finalizedEpoch: 0, participation: null});
    } finally {
      await t.close();
    }
    const later = "slot 50 epoch 6 | head 49 0x6e8a…8cfe | justified 5 0xd715…aceb | finalized 4 0x741f…9543 | participation 87.5% | peers 3";
    assert.deepEqual(parseStatusLine(later), {slot: 50, epoch: 6, headSlot: 49, justifiedEpoch: 5, finalizedEpoch: 4, participation: 0.875});
    assert.equal(parseStatusLine("finalized"), null);
    assert.equal(parseStatusLine(`${later} extra`), null);
  });

  it("reads pino JSON lines and skips anything else", () => {
    assert.deepEqual(parseLogLine('{"level":30,"time":1,"module":"status","msg":"slot 1"}'), {level: 30, module: "status", msg: "slot 1"});
    assert.deepEqual(parseLogLine('{"level":50,"msg":"boom"}'), {level: 50, module: undefined, msg: "boom"});
    assert.equal(parseLogLine("plain text"), null);
    assert.equal(parseLogLine("{not json"), null);
    assert.equal(parseLogLine('{"msg":"no level"}'), null);
  });

  it("parses durations", () => {
    assert.equal(parseDuration("600", "d"), 600);
    assert.equal(parseDuration("90s", "d"), 90);
    assert.equal(parseDuration("20m", "d"), 1200);
    assert.equal(parseDuration("1h30m", "d"), 5400);
    assert.equal(parseDuration("1.5m", "d"), 90);
    for (const bad of ["", "m", "20x", "20m5", "-5", "1h 2m"]) assert.throws(() => parseDuration(bad, "duration"), /--duration must be a duration/, bad);
  });

  it("fits slopes and CPU shares", () => {
    assert.equal(linearSlope([{t: 0, v: 5}, {t: 10, v: 25}, {t: 20, v: 45}]), 2);
    assert.equal(linearSlope([{t: 0, v: 1}, {t: 10, v: 3}, {t: 20, v: 1}, {t: 30, v: 3}]), 0.04);
    assert.equal(linearSlope([{t: 1, v: 1}]), null);
    assert.equal(linearSlope([{t: 1, v: 1}, {t: 1, v: 2}]), null);
    assert.equal(cpuPercent(1_000_000, 1_500_000, 10_000), 5);
    assert.equal(cpuPercent(0, 1, 0), 0);
    assert.equal(formatElapsed(59.6), "1:00");
    assert.equal(formatElapsed(3725), "1:02:05");
  });

  it("checks participation and finality = epoch - 2 at each epoch's first status line from epoch 4", () => {
    const ok = new ChainChecks();
    for (let slot = 8; slot < 80; slot++) ok.add(line(slot, Math.max(0, Math.floor(slot / 8) - 2)));
    assert.equal(ok.boundariesChecked, 6); // epochs 4..9
    assert.deepEqual(ok.finalityLagged, []);
    assert.equal(ok.minParticipation, 1);
    assert.equal(ok.ok, true);

    const bad = new ChainChecks();
    for (let slot = 32; slot < 56; slot++) bad.add(line(slot, slot >= 40 && slot < 48 ? 2 : Math.floor(slot / 8) - 2, slot === 50 ? 0.75 : 1, slot === 51 ? 50 : slot));
    assert.equal(bad.boundariesChecked, 3);
    assert.deepEqual(bad.finalityLagged.map((s) => s.epoch), [5]);
    assert.equal(bad.minParticipation, 0.75);
    assert.equal(bad.partialLines, 1);
    assert.equal(bad.headBehind, 1);
    assert.equal(bad.ok, false);

    // No boundary seen (a run shorter than 4 epochs) is not a pass.
    const short = new ChainChecks();
    short.add(line(9, 0));
    assert.equal(short.ok, false);
  });

  it("separates growth from the swing of collectable garbage", () => {
    // Outside the heap: flat 100 MiB. Live heap: 40 MiB growing 0.5 MiB/min. Garbage: a 60 MiB sawtooth of 4 minutes.
    const samples: Sample[] = [];
    for (let t = 0; t <= 1800; t += 5) {
      const live = 40 + (0.5 * t) / 60;
      const garbage = ((t % 240) / 240) * 60;
      samples.push({
        t,
        rssMiB: 100 + live + garbage,
        heapUsedMiB: live + garbage,
        outsideHeapMiB: 100,
        liveHeapMiB: t % 240 === 0 ? live : null,
        cpuMicros: t * 50_000, // 5% of one core
      });
    }
    const v = computeVerdict(samples, 300);
    assert.equal(v.samplesAfterWarmup, 301);
    assert.ok(Math.abs(v.outsideHeapSlope!) < 1e-9);
    assert.ok(Math.abs(v.liveHeapSlope! - 0.5) < 1e-9);
    assert.ok(Math.abs(v.growthSlope! - 0.5) < 1e-9);
    assert.equal(v.liveHeapReadings, 6); // t = 480, 720, ..., 1680
    assert.ok(Math.abs(v.cpuAfterWarmup! - 5) < 1e-9);
    assert.equal(v.rssFirst, 100 + 42.5 + 15);
    assert.equal(v.rssMin, 100 + 44); // t = 480, right after a full collection
    // The raw RSS slope carries the sawtooth's phase, not just the growth.
    assert.ok(Math.abs(v.rssSlope! - 0.5) > 0.05);

    const none = computeVerdict(samples.slice(0, 10), 300);
    assert.equal(none.samplesAfterWarmup, 0);
    assert.equal(none.rssSlope, null);
    assert.equal(none.growthSlope, null);
    assert.equal(none.rssAvg, null);
  });
});
