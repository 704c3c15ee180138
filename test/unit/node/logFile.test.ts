import {strict as assert} from "node:assert";
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {Writable} from "node:stream";
import {createFileLogger} from "../../../src/util/logger.ts";

describe("node: --log-file, rotated beside the terminal output", function () {
  this.timeout(20_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "gnomon-logs-"));
  });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  it("writes one JSON line per message, rotates at the size and keeps the given count", async () => {
    const terminal: string[] = [];
    const {logger, close} = await createFileLogger({
      level: "info",
      pretty: false,
      file: join(dir, "logs", "gnomon.log"),
      size: "1k",
      count: 2,
      terminal: new Writable({write: (chunk: Buffer, _enc, done) => (terminal.push(chunk.toString()), done())}),
    });
    for (let i = 0; i < 120; i++) logger.debug({i}, "not written");
    const quiet = logger.child({module: "test"});
    // Rotation follows each write to disk: give each message its own.
    for (let i = 0; i < 60; i++) {
      quiet.warn({i, pad: "x".repeat(40)}, `message ${i}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    await close();
    // Every message also reached the terminal.
    assert.equal(terminal.join("").split("\n").filter((l) => l !== "").length, 60);
    const files = readdirSync(join(dir, "logs")).sort();
    assert.ok(files.length >= 2 && files.length <= 3, `files: ${files.join(", ")}`);
    for (const f of files) assert.match(f, /^gnomon\.\d+\.log$/);
    const lines = files.flatMap((f) => readFileSync(join(dir, "logs", f), "utf8").split("\n").filter((l) => l !== ""));
    for (const l of lines) {
      const o = JSON.parse(l) as {msg: string; module: string; level: number};
      assert.equal(o.module, "test");
      assert.equal(o.level, 40);
      assert.match(o.msg, /^message \d+$/);
    }
    // The newest messages are kept; the oldest rotated files were removed.
    assert.ok(lines.some((l) => l.includes('"msg":"message 59"')));
    assert.ok(!lines.some((l) => l.includes('"msg":"message 0"')));
  });

  it("refuses a log file it cannot create, with the path", async () => {
    const notADir = join(dir, "plain");
    writeFileSync(notADir, "");
    await assert.rejects(createFileLogger({file: join(notADir, "x.log"), size: "1m", count: 1}), (e: Error) => e.message.startsWith(`cannot open log file ${join(notADir, "x.log")}`));
  });
});
