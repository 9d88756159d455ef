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
from collections.abc import Sequence
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
    values: tuple[Any, ...] = ()
    """What each of `evaluate`'s expressions returned, in order (JSON values)."""


def load_page(
    path: Path,
    timeout: float = 90.0,  # generous: Chromium starts slowly on a loaded 2-core machine
    *,
    width: int | None = None,
    evaluate: Sequence[str] = (),
    javascript: bool = True,
) -> PageRun:
    """Open `path` in headless Chromium; return console errors, exceptions and a PNG screenshot.

    `width` sets the viewport (CSS pixels, as a phone or a desktop would); each of
    `evaluate`'s expressions then runs in the page in turn (after the screenshot) and
    its value is returned; `javascript=False` loads the page with scripts disabled."""
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
            drive = _drive(ws_url, path.resolve().as_uri(), width, tuple(evaluate), javascript)
            return asyncio.run(asyncio.wait_for(drive, timeout))
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


async def _drive(
    ws_url: str, page_url: str, width: int | None, evaluate: tuple[str, ...], javascript: bool
) -> PageRun:
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
        if width is not None:
            await call(
                "Emulation.setDeviceMetricsOverride",
                session,
                width=width,
                height=900,
                deviceScaleFactor=1,
                mobile=width < 600,
            )
        if not javascript:
            await call("Emulation.setScriptExecutionDisabled", session, value=True)
        await call("Page.navigate", session, url=page_url)
        await loaded.wait()
        await asyncio.sleep(0.3)
        title = await call("Runtime.evaluate", session, expression="document.title")
        shot = await call(
            "Page.captureScreenshot", session, format="png", captureBeyondViewport=True
        )
        values = []
        for expression in evaluate:
            answer = await call(
                "Runtime.evaluate", session, expression=expression, returnByValue=True
            )
            if "exceptionDetails" in answer:
                raise RuntimeError(f"{expression}: {answer['exceptionDetails']}")
            values.append(answer["result"].get("value"))
            await asyncio.sleep(0.05)
        task.cancel()
        return PageRun(
            errors=tuple(errors),
            screenshot=base64.b64decode(shot["data"]),
            title=str(title["result"].get("value", "")),
            values=tuple(values),
        )
