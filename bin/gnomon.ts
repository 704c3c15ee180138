#!/usr/bin/env node
// Gnomon's command-line entry point: dispatches to src/cli (see `gnomon --help`).
import {main} from "../src/cli/main.ts";

process.exitCode = await main(process.argv.slice(2));
