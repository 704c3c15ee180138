/**
 * Headless Chromium from the system's packages (Debian's /usr/bin/chromium), driven through
 * playwright-core: no browser download, a fresh profile per launch.
 */
import {existsSync, mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {chromium, type BrowserContext} from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Fails (never skips) when the browser is missing: the live view's test must run wherever `npm test` does. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium package (apt-get install -y chromium) to run the live view's browser test`);
  }
  // playwright passes the profile directory as --user-data-dir; it refuses that flag among `args`.
  const profile = mkdtempSync(join(tmpdir(), "gnomon-chromium-"));
  try {
    const context = await chromium.launchPersistentContext(profile, {executablePath: CHROMIUM, headless: true, args: ARGS, viewport: {width: 1400, height: 900}});
    return {
      context,
      async close() {
        await context.close();
        rmSync(profile, {recursive: true, force: true});
      },
    };
  } catch (e) {
    rmSync(profile, {recursive: true, force: true});
    throw e;
  }
}
