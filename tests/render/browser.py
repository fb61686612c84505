"""Headless Chromium for the report tests: a page at a given width (a phone is 390 px) and
printed on a given paper, through the DevTools protocol over a pipe (--remote-debugging-pipe:
JSON messages ending in a NUL byte on descriptors 3 and 4), so no port and no websocket
library are needed.

The command line alone cannot do this: `--window-size` stops at 500 px wide in headless mode,
and `--print-to-pdf` prints on one paper size only.

    with Browser() as browser:
        page = browser.open(path, width=390)  # mobile emulation: the viewport meta is honoured
        page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(tmp / "phone.png")
        pdf = browser.open(path).pdf(A4)
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
TIMEOUT = 120.0  # seconds for any one answer; a hang fails the test instead of blocking it


@dataclass(frozen=True)
class Paper:
    name: str
    width: float  # inches, as Page.printToPDF takes them
    height: float


A4 = Paper("A4", 210 / 25.4, 297 / 25.4)
LETTER = Paper("Letter", 8.5, 11.0)


class BrowserError(RuntimeError):
    pass


class Browser:
    """One headless Chromium with a fresh, empty profile, closed on exit."""

    def __init__(self) -> None:
        self._profile = tempfile.mkdtemp(prefix="coach-chromium-")
        to_child, self._out = os.pipe()
        self._in, from_child = os.pipe()
        self._process = subprocess.Popen(
            [
                "bash",
                "-c",
                f'exec "$0" "$@" 3<&{to_child} 4>&{from_child}',
                str(CHROMIUM),
                *FLAGS,
                f"--user-data-dir={self._profile}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            pass_fds=(to_child, from_child),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_child)
        os.close(from_child)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []

    def __enter__(self) -> Browser:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(BrowserError, OSError):  # it may close the pipe first
            self.call("Browser.close")
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._out)
        os.close(self._in)
        shutil.rmtree(self._profile, ignore_errors=True)

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command and wait for its answer (events that arrive meanwhile are kept)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self._events.append(reply)

    def wait_for(self, event: str, session: str) -> None:
        """Wait for an event of the session (or find it among those that came already)."""
        while True:
            for number, message in enumerate(self._events):
                if message.get("method") == event and message.get("sessionId") == session:
                    del self._events[number]
                    return
            self._events.append(self._receive())

    def _receive(self) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._in], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise BrowserError(f"no answer from Chromium in {TIMEOUT:.0f} s")
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise BrowserError("Chromium closed its pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        decoded: dict[str, Any] = json.loads(message)
        return decoded

    def open(self, path: Path, width: int = 1280, height: int = 900) -> Tab:
        """A new tab showing `path` with a viewport `width` px wide (below 800: a phone)."""
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=width < 800,
        )
        self.call("Page.enable", session)
        self.call("Page.navigate", session, url=path.resolve().as_uri())
        self.wait_for("Page.loadEventFired", session)
        return Tab(self, session)


@dataclass
class Tab:
    browser: Browser
    session: str

    def evaluate(self, expression: str) -> Any:
        result = self.browser.call(
            "Runtime.evaluate", self.session, expression=expression, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def print_media(self) -> None:
        """Lay the page out as for paper (the print stylesheet), to measure it."""
        self.browser.call("Emulation.setEmulatedMedia", self.session, media="print")

    def screenshot(self, path: Path) -> tuple[int, int]:
        """The whole page as a PNG; returns its size in CSS pixels."""
        size = self.browser.call("Page.getLayoutMetrics", self.session)["cssContentSize"]
        width, height = int(size["width"]), int(size["height"])
        shot = self.browser.call(
            "Page.captureScreenshot",
            self.session,
            format="png",
            captureBeyondViewport=True,
            clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        )
        path.write_bytes(base64.b64decode(shot["data"]))
        return width, height

    def pdf(self, paper: Paper, path: Path) -> bytes:
        """The page printed on `paper` (the stylesheet's @page margins apply), saved to `path`."""
        printed = self.browser.call(
            "Page.printToPDF",
            self.session,
            paperWidth=paper.width,
            paperHeight=paper.height,
            displayHeaderFooter=False,
            preferCSSPageSize=False,
        )
        data = base64.b64decode(printed["data"])
        path.write_bytes(data)
        return data


def page_count(pdf: bytes) -> int:
    """Pages in a PDF as Chromium writes it (every page object uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


# Every element of the page (outside SVG drawings) whose box reaches past the viewport's right
# edge, or whose text is cut by its own box: what a reader on a phone would have to scroll to,
# or could not read at all.
OVERFLOW_SCRIPT = """(() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const cut = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible';
    if (box.right > width + 1 || box.left < -1 || cut) {
      found.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') +
        ' ' + Math.round(box.left) + '..' + Math.round(box.right));
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width: width, overflowing: found};
})()"""
