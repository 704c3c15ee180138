#!/usr/bin/env -S node --max-semi-space-size=8
// Gnomon's command-line entry point: dispatches to src/cli (see `gnomon --help`).
// V8 sizes the young generation from the machine's memory (64 MiB semi-spaces here) and, under
// sustained REST load, grows it to that size and keeps it while the node stays busy: ~100 MB of
// resident heap that holds nothing. 8 MiB semi-spaces bound it (see README "Memory").
import {main} from "../src/cli/main.ts";

process.exitCode = await main(process.argv.slice(2));
