"""Print a page of a built site to PDF in Firefox ESR, to see how the print degrades there.

Usage:
    python benchmarks/print_firefox.py SITE_DIR [PAGE] [--out FILE.pdf]

Headless Firefox has no "print to PDF" switch (``--screenshot`` takes a picture of the
screen), and Playwright drives only its own patched Firefox. Firefox ESR does speak
WebDriver BiDi, whose ``browsingContext.print`` returns a PDF: this script starts
``firefox-esr --headless --remote-debugging-port`` with a throw-away profile, asks it for
the PDF over BiDi (from Node.js, whose WebSocket needs ``--experimental-websocket`` before
Node 22), and prints the page count and whether the margin boxes ("Page N of M") came out.
PAGE defaults to the board pack.
"""

from __future__ import annotations

import argparse
import io
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

CLIENT = r"""
const fs = require('fs');
const [port, url, out] = process.argv.slice(1);
const ws = new WebSocket(`ws://127.0.0.1:${port}/session`);
let id = 0; const pending = new Map();
const send = (method, params) => new Promise((resolve, reject) => {
  const i = ++id; pending.set(i, { resolve, reject });
  ws.send(JSON.stringify({ id: i, method, params }));
});
ws.onmessage = (e) => {
  const m = JSON.parse(e.data), p = pending.get(m.id);
  if (!p) return;
  pending.delete(m.id);
  m.type === 'error' ? p.reject(new Error(m.error + ': ' + m.message)) : p.resolve(m.result);
};
ws.onerror = () => { console.error('no WebDriver BiDi on port ' + port); process.exit(1); };
ws.onopen = async () => {
  try {
    await send('session.new', { capabilities: {} });
    const context = (await send('browsingContext.getTree', {})).contexts[0].context;
    await send('browsingContext.navigate', { context, url, wait: 'complete' });
    const pdf = await send('browsingContext.print',
                           { context, page: { width: 21.0, height: 29.7 }, background: true });
    fs.writeFileSync(out, Buffer.from(pdf.data, 'base64'));
    await send('session.end', {}).catch(() => {});
  } catch (err) { console.error(err.message); process.exitCode = 1; }
  ws.close();
};
"""


def free_port() -> int:
    """A TCP port nobody is listening on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    """Print the page in Firefox ESR; report pages and margin boxes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("page", nargs="?", default="policy/board-pack.html")
    parser.add_argument("--out", type=Path, default=Path("firefox.pdf"))
    parser.add_argument("--firefox", default="firefox-esr")
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as profile:
        firefox = subprocess.Popen(
            [args.firefox, "--headless", "--no-remote", "--profile", profile,
             "--remote-debugging-port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(60):  # until BiDi listens (a few seconds)
                with socket.socket() as s:
                    if s.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.5)
            url = (args.site.resolve() / args.page).as_uri()
            run = subprocess.run(["node", "--experimental-websocket", "-e", CLIENT, str(port),
                                  url, str(args.out)], capture_output=True, text=True)
        finally:
            firefox.terminate()
            firefox.wait(timeout=30)
    if run.returncode:
        print(run.stderr.strip(), file=sys.stderr)
        return 1
    pages = PdfReader(io.BytesIO(args.out.read_bytes())).pages
    numbered = sum("Page " in (p.extract_text() or "") for p in pages)
    print(f"{args.out}: {len(pages)} pages; margin boxes printed on {numbered} of them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
