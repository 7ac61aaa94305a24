// Drives Firefox over WebDriver BiDi (puppeteer-core) for tests/browser/engines: one browser,
// one page, commands as JSON lines on stdin, one JSON line of answer each on stdout.
//   {"op": "open", "url": U}                  load U and wait for its load event
//   {"op": "evaluate", "source": F, "args": A} run the (async) function F(...A) in the page
//   {"op": "type", "selector": S, "text": T}  focus S and type T, key by key
//   {"op": "console"}                          console errors and page errors since last asked
// Answers are {"ok": value} or {"error": message}. Closing stdin closes the browser.
// Environment: CWC_NODE_MODULES (where npm ci put puppeteer-core), CWC_FIREFOX (the binary),
// CWC_PROBE (a script run in every page before its own scripts), CWC_PROFILE (optional: a
// profile folder to keep, as a person's is).
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

const require = createRequire(join(process.env.CWC_NODE_MODULES, "noop.js"));
const puppeteer = require("puppeteer-core");

const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath: process.env.CWC_FIREFOX,
  headless: true,
  // A profile kept on disk when asked (the history tests read it after the browser closes).
  userDataDir: process.env.CWC_PROFILE || undefined,
  defaultViewport: (([width, height]) => ({ width: +width, height: +height }))(
    (process.env.CWC_WINDOW || "1280x900").split("x")),
  // The machine may have no network: keep Firefox from reaching for one.
  extraPrefsFirefox: {
    "network.dns.disableIPv6": true,
    "browser.safebrowsing.malware.enabled": false,
    "browser.safebrowsing.phishing.enabled": false,
    "extensions.update.enabled": false,
    "app.update.enabled": false,
  },
});
const page = await browser.newPage();
await page.evaluateOnNewDocument(readFileSync(process.env.CWC_PROBE, "utf-8"));
let consoleErrors = [];
page.on("console", (message) => {
  if (message.type() === "error") consoleErrors.push(`console: ${message.text()} (${page.url()})`);
});
page.on("pageerror", (error) => consoleErrors.push(`page error: ${error.message || error} (${page.url()})`));

const commands = {
  async open({ url }) {
    await page.goto(url, { waitUntil: "load", timeout: 60000 });
    return page.url();
  },
  async evaluate({ source, args }) {
    return await page.evaluate(`(${source})(...${JSON.stringify(args || [])})`);
  },
  async type({ selector, text }) {
    await page.focus(selector);
    await page.keyboard.type(text);
    return null;
  },
  async console() {
    const errors = consoleErrors;
    consoleErrors = [];
    return errors;
  },
};

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  let answer;
  try {
    const command = JSON.parse(line);
    answer = { ok: (await commands[command.op](command)) ?? null };
  } catch (error) {
    answer = { error: String(error && error.stack ? error.stack : error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
await browser.close();
