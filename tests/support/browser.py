"""Drive headless Chromium over the DevTools protocol: load a page, collect errors, screenshot.

Only for tests. The browser gets a fresh profile and no network features, and
the page is a local file, so nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
    "--window-size=1280,1600",
)
_DEVTOOLS = re.compile(r"DevTools listening on (ws://\S+)")


def find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass(frozen=True)
class PageRun:
    errors: tuple[str, ...]
    screenshot: bytes
    title: str


def load_page(path: Path, timeout: float = 30.0) -> PageRun:
    """Open `path` in headless Chromium; return console errors, exceptions and a PNG screenshot."""
    binary = find_chromium()
    if binary is None:
        raise RuntimeError("chromium is not installed")
    with tempfile.TemporaryDirectory(
        prefix="citecheck-chromium-",
        ignore_cleanup_errors=True,  # Chromium may still be writing
    ) as profile:
        process = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            ws_url = _wait_for_devtools(process)
            return asyncio.run(asyncio.wait_for(_drive(ws_url, path.resolve().as_uri()), timeout))
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for_devtools(process: subprocess.Popen[str]) -> str:
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        match = _DEVTOOLS.search(line)
        if match:
            return match.group(1)
    raise RuntimeError("chromium exited before DevTools started: " + "".join(seen[-5:]))


async def _drive(ws_url: str, page_url: str) -> PageRun:
    ids = itertools.count(1)
    errors: list[str] = []
    async with aiohttp.ClientSession() as http, http.ws_connect(ws_url, max_msg_size=0) as ws:
        pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        loaded = asyncio.Event()

        async def reader() -> None:
            async for message in ws:
                data = json.loads(message.data)
                if "id" in data and data["id"] in pending:
                    pending.pop(data["id"]).set_result(data)
                    continue
                method, params = data.get("method"), data.get("params", {})
                if method == "Page.loadEventFired":
                    loaded.set()
                elif method == "Runtime.exceptionThrown":
                    errors.append("exception: " + json.dumps(params.get("exceptionDetails")))
                elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
                    errors.append("console.error: " + json.dumps(params.get("args")))
                elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                    errors.append("log: " + params["entry"].get("text", ""))

        async def call(method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
            number = next(ids)
            future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
            pending[number] = future
            message: dict[str, Any] = {"id": number, "method": method, "params": params}
            if session:
                message["sessionId"] = session
            await ws.send_str(json.dumps(message))
            answer = await future
            if "error" in answer:
                raise RuntimeError(f"{method}: {answer['error']}")
            result: dict[str, Any] = answer.get("result", {})
            return result

        task = asyncio.create_task(reader())
        target = await call("Target.createTarget", url="about:blank")
        attached = await call("Target.attachToTarget", targetId=target["targetId"], flatten=True)
        session = attached["sessionId"]
        for domain in ("Page.enable", "Runtime.enable", "Log.enable"):
            await call(domain, session)
        await call("Page.navigate", session, url=page_url)
        await loaded.wait()
        await asyncio.sleep(0.3)
        title = await call("Runtime.evaluate", session, expression="document.title")
        shot = await call(
            "Page.captureScreenshot", session, format="png", captureBeyondViewport=True
        )
        task.cancel()
        return PageRun(
            errors=tuple(errors),
            screenshot=base64.b64decode(shot["data"]),
            title=str(title["result"].get("value", "")),
        )
