/**
 * The live view at /ui in a real browser: `gnomon dev` (64 validators, 1-second slots) on a free
 * port, the page opened in headless Chromium. The page must show the head the REST API reports,
 * the finalized epoch the API reports once the chain finalizes, a tree of blocks with the head
 * marked, participation bars, and load nothing from anywhere but the node.
 */
import {strict as assert} from "node:assert";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {getJson, restUrl, runGnomon, stopProcess, waitFor, type Proc} from "../helpers/processes.ts";
import {launchChromium, type Browser} from "./browser.ts";

interface PageView {
  headSlot: number;
  headRoot: string;
  finalizedEpoch: number;
  nodes: number;
  headNodeSlot: number | null;
  bars: number;
}

async function readPage(page: Page): Promise<PageView> {
  return page.evaluate(() => {
    // Runs in the page; the project's type-check has no DOM library.
    const document = (globalThis as unknown as {document: any}).document;
    const head = document.querySelector("#tree g.node.head");
    return {
      headSlot: Number(document.body.dataset.headSlot ?? NaN),
      headRoot: document.body.dataset.headRoot ?? "",
      finalizedEpoch: Number(document.body.dataset.finalizedEpoch ?? NaN),
      nodes: document.querySelectorAll("#tree g.node").length,
      headNodeSlot: head === null ? null : Number(head.getAttribute("data-slot")),
      bars: document.querySelectorAll("#participation .bar").length,
    };
  });
}

describe("e2e: the live view /ui in headless Chromium against gnomon dev", function () {
  this.timeout(240_000);
  let dir: string;
  let dev: Proc | undefined;
  let browser: Browser | undefined;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-e2e-ui-"));
  });
  after(async () => {
    await browser?.close();
    await stopProcess(dev, "SIGKILL");
    rmSync(dir, {recursive: true, force: true});
  });

  it("shows the API's head and finalized checkpoint, the block tree and participation, from the node alone", async () => {
    browser = await launchChromium();
    dev = runGnomon(["dev", "--validators", "64", "--seconds-per-slot", "1", "--preset", "minimal", "--data-dir", join(dir, "dev"), "--rest-port", "0"]);
    const url = await restUrl(dev, "gnomon dev");

    const page = await browser.context.newPage();
    const requests: string[] = [];
    const pageErrors: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("console", (m) => m.type() === "error" && pageErrors.push(m.text()));
    const res = await page.goto(`${url}/ui`);
    assert.equal(res?.status(), 200);
    assert.equal(await page.title(), "Gnomon · live fork choice");

    // The head moves every second: the page and the API must agree on it, root included.
    const head = await waitFor("the page to show the API's head", 60_000, async () => {
      const api = (await getJson(`${url}/eth/v1/beacon/headers/head`)).data;
      const view = await readPage(page);
      return view.headSlot === Number(api.header.message.slot) && view.headRoot === api.root && view.headSlot > 0 ? view : undefined;
    });
    assert.ok(head.nodes > 0, "the tree has nodes");

    const finalized = await waitFor("finality, shown as the API reports it", 150_000, async () => {
      const api = Number((await getJson(`${url}/eth/v1/beacon/states/head/finality_checkpoints`)).data.finalized.epoch);
      const view = await readPage(page);
      return api >= 1 && view.finalizedEpoch === api ? view : undefined;
    });
    assert.ok(finalized.finalizedEpoch >= 1);
    assert.ok(finalized.nodes >= 8, `the tree shows at least an epoch of blocks (${finalized.nodes})`);
    assert.ok(finalized.headNodeSlot !== null && finalized.headNodeSlot > 0, "the head block is marked in the tree");
    assert.equal(await page.locator("#tree g.node.finalized").count(), 1, "the finalized checkpoint block is marked");

    // Participation: bars for the epochs the Gnomon endpoint reports, which finality implies.
    const rows = (await getJson(`${url}/gnomon/v1/participation?epochs=16`)).data as {epoch: string; target_participation: number; complete: boolean}[];
    assert.ok(rows.some((r) => r.complete && r.target_participation >= 2 / 3), `a complete epoch with a 2/3 target vote: ${JSON.stringify(rows)}`);
    await waitFor("participation bars", 10_000, async () => ((await readPage(page)).bars >= rows.filter((r) => r.complete).length ? true : undefined));
    assert.match((await page.locator("#connection").textContent()) ?? "", /live/, "the event stream is open");

    const shots = mkdtempSync(join(tmpdir(), "gnomon-ui-screenshot-"));
    const shot = join(shots, "live-view.png");
    await page.screenshot({path: shot, fullPage: true});
    console.log(`      live view screenshot: ${shot}`);

    const foreign = requests.filter((r) => !r.startsWith(`${url}/`));
    assert.deepEqual(foreign, [], "every request goes to the node");
    assert.deepEqual(pageErrors, [], "no script errors");
  });
});

describe("e2e: the live view /ui in headless Chromium against gnomon sim --serve", function () {
  this.timeout(240_000);
  let dir: string;
  let sim: Proc | undefined;
  let browser: Browser | undefined;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-e2e-ui-sim-"));
  });
  after(async () => {
    await browser?.close();
    await stopProcess(sim, "SIGKILL");
    rmSync(dir, {recursive: true, force: true});
  });

  it("shows a simulated node's head, finality and block tree while the simulation runs", async () => {
    browser = await launchChromium();
    const scenario = join(dir, "watch.yaml");
    writeFileSync(
      scenario,
      ["name: watch", "duration: epoch 8", "network: {latency_ms: 300, jitter_ms: 200, loss: 0}", "nodes:", "  - {name: a, validators: 16}", "  - {name: b, validators: 16}", "expect: {safety: true}", ""].join("\n")
    );
    // A free port pair: the first node serves on it, the second on the next.
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    sim = runGnomon(["sim", scenario, "--serve", String(port), "--speed", "8"]);
    const urls = [`http://127.0.0.1:${port}`, `http://127.0.0.1:${port + 1}`];
    await waitFor("the simulated nodes to serve", 60_000, async () => {
      try {
        return (await getJson(`${urls[1]}/eth/v1/node/version`)).data !== undefined ? true : undefined;
      } catch {
        return undefined;
      }
    });

    const page = await browser.context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    const res = await page.goto(`${urls[1]}/ui`);
    assert.equal(res?.status(), 200);
    const finalized = await waitFor("the page to show the simulated node's finality", 150_000, async () => {
      const api = Number((await getJson(`${urls[1]}/eth/v1/beacon/states/head/finality_checkpoints`)).data.finalized.epoch);
      const view = await readPage(page);
      return api >= 1 && view.finalizedEpoch === api ? view : undefined;
    });
    assert.ok(finalized.nodes >= 8, `the tree shows at least an epoch of blocks (${finalized.nodes})`);
    assert.ok(finalized.headNodeSlot !== null && finalized.headNodeSlot > 0, "the head block is marked in the tree");
    // The clock shown is the node's (virtual) clock, not the browser's wall clock.
    const clock = Number(await page.locator("#clock-slot").textContent());
    assert.ok(clock >= finalized.headSlot && clock <= 64, `clock slot ${clock}`);
    // Both nodes see one chain: node a knows the block node b finalized.
    const bFinalized = (await getJson(`${urls[1]}/eth/v1/beacon/states/head/finality_checkpoints`)).data.finalized.root;
    const known = await getJson(`${urls[0]}/eth/v1/beacon/headers/${bFinalized}`).catch(() => null);
    assert.ok(known !== null, "node a knows the block node b finalized");
    const shots = mkdtempSync(join(tmpdir(), "gnomon-ui-screenshot-"));
    const shot = join(shots, "sim-live-view.png");
    await page.screenshot({path: shot, fullPage: true});
    console.log(`      simulation live view screenshot: ${shot}`);
    assert.deepEqual(pageErrors, [], "no script errors");
  });
});
