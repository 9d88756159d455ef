"""The GitHub Action (action.yml) and the pre-commit hooks run as their users would run them.

Each `run:` step of the composite action and each hook's `entry` is executed here, with
the environment it sets (inputs resolved, a fake GITHUB_STEP_SUMMARY, GITHUB_OUTPUT and
RUNNER_TEMP), offline, against this worktree's citecheck through a `citecheck` shim on
PATH. Steps that `uses:` another action (setup-python, cache, upload-sarif) are checked
for their inputs, not run; the install step is checked, not run (it would install over
the machine's citecheck).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.paths import REPO_ROOT

REFERENCE = REPO_ROOT / "references" / "002_43e623d618e2a5b1.txt"
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def load(name: str) -> Any:
    return yaml.safe_load((REPO_ROOT / name).read_text(encoding="utf-8"))


@pytest.fixture
def shim_path(tmp_path: Path) -> dict[str, str]:
    """An environment whose `citecheck` is this worktree's, as `pip install` would make it."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "citecheck"
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m citecheck "$@"\n')
    shim.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_"))}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(REPO_ROOT)
    return env


def resolve(text: str, context: dict[str, str]) -> str:
    """Replace `${{ inputs.x }}`, `${{ runner.temp }}`, ... as the runner would."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in context:
            raise AssertionError(f"unresolved expression ${{{{ {name} }}}} in {text!r}")
        return context[name]

    return EXPRESSION.sub(value, text)


def run_action(
    tmp_path: Path, env: dict[str, str], inputs: dict[str, str]
) -> tuple[dict[str, str], str, list[subprocess.CompletedProcess[str]]]:
    """Run the action's shell steps in order, as a runner would; return its outputs,
    the job summary and each step's process."""
    action = load("action.yml")
    given = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
    given.update(inputs)
    summary = tmp_path / "summary.md"
    summary.write_text("")
    temp = tmp_path / "runner-temp"
    temp.mkdir(exist_ok=True)
    outputs: dict[str, str] = {}
    context = {f"inputs.{k}": v for k, v in given.items()}
    context.update({"github.action_path": str(REPO_ROOT), "runner.temp": str(temp)})
    ran: list[subprocess.CompletedProcess[str]] = []
    for step in action["runs"]["steps"]:
        if "uses" in step or step.get("name") == "Install citecheck":
            continue
        context.update({f"steps.audit.outputs.{k}": v for k, v in outputs.items()})
        context.setdefault("steps.audit.outputs.exit-code", "")
        output_file = tmp_path / f"output-{len(ran)}"
        output_file.write_text("")
        step_env = dict(env)
        step_env.update({k: resolve(str(v), context) for k, v in step.get("env", {}).items()})
        step_env.update(
            GITHUB_OUTPUT=str(output_file),
            GITHUB_STEP_SUMMARY=str(summary),
            RUNNER_TEMP=str(temp),
        )
        process = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            env=step_env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        ran.append(process)
        for line in output_file.read_text().splitlines():
            key, _, value = line.partition("=")
            outputs[key] = value
    return outputs, summary.read_text(encoding="utf-8"), ran


def test_the_action_declares_what_users_expect() -> None:
    action = load("action.yml")
    assert action["runs"]["using"] == "composite"
    assert {"paths", "fail-on", "format", "sarif", "cache"} <= set(action["inputs"])
    uses = [step.get("uses", "") for step in action["runs"]["steps"]]
    assert any(u.startswith("actions/cache/restore@") for u in uses)
    assert any(u.startswith("actions/cache/save@") for u in uses)
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    install = next(s for s in action["runs"]["steps"] if s.get("name") == "Install citecheck")
    assert "pip install" in install["run"] and install["env"]["ACTION_PATH"] == (
        "${{ github.action_path }}"
    )
    for step in action["runs"]["steps"]:
        if "run" in step:  # inputs reach scripts only through env, never pasted into code
            assert "${{" not in step["run"], step["name"]


def test_the_action_audits_writes_the_summary_and_sarif(
    tmp_path: Path, shim_path: dict[str, str]
) -> None:
    text = tmp_path / "chapter.txt"
    text.write_text(REFERENCE.read_text(encoding="utf-8"), encoding="utf-8")
    outputs, summary, ran = run_action(
        tmp_path,
        shim_path,
        {
            "paths": "chapter.txt",
            "args": "--offline",
            "sarif": "true",
            "fail-on": "date-mismatch",
        },
    )
    audit, final = ran
    assert audit.returncode == 0, audit.stderr
    assert outputs["exit-code"] == "1"  # 002 has date mismatches, and they fail here
    assert final.returncode == 1  # the last step fails the job
    assert summary.startswith("## citecheck audit")
    assert "### chapter.txt" in summary and "date-mismatch" in summary
    assert "::error file=chapter.txt,line=" in audit.stdout  # the default github format
    sarif = json.loads(Path(outputs["sarif-file"]).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["results"]
    report = json.loads(Path(outputs["report"]).read_text(encoding="utf-8"))
    assert report["schema"] == 1
    assert (tmp_path / ".citecheck-cache").is_dir()  # the folder the cache steps keep


def test_the_action_passes_a_clean_text_and_stops_on_bad_input(
    tmp_path: Path, shim_path: dict[str, str]
) -> None:
    (tmp_path / "clean.txt").write_text("A text without notes.\n", encoding="utf-8")
    outputs, summary, ran = run_action(tmp_path, shim_path, {"paths": "clean.txt"})
    assert [p.returncode for p in ran] == [0, 0]
    assert outputs["exit-code"] == "0" and "## citecheck audit" in summary
    outputs, _, ran = run_action(tmp_path, shim_path, {"paths": "missing.txt"})
    assert outputs["exit-code"] == "2"
    assert ran[0].returncode == 2
    assert "citecheck: error:" in ran[0].stderr


def hooks() -> dict[str, dict[str, Any]]:
    return {hook["id"]: hook for hook in load(".pre-commit-hooks.yaml")}


def run_hook(hook: dict[str, Any], files: list[Path], env: dict[str, str], cwd: Path) -> Any:
    """Run a hook as pre-commit does: its entry, then its args, then the staged file names."""
    for name in files:
        assert re.search(hook["files"], name.name), (hook["id"], name)
    command = [*shlex.split(hook["entry"]), *hook.get("args", []), *map(str, files)]
    return subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def test_the_hooks_are_declared() -> None:
    declared = hooks()
    assert set(declared) == {"citecheck-extract", "citecheck-audit-offline", "citecheck-audit"}
    for hook in declared.values():
        assert hook["language"] == "python" and hook["entry"].startswith("citecheck ")
    assert "--offline" in declared["citecheck-audit-offline"]["entry"]
    assert "--offline" not in declared["citecheck-audit"]["entry"]


def test_the_extract_hook_exports_bibtex_and_refuses_bad_files(
    tmp_path: Path, shim_path: dict[str, str]
) -> None:
    hook = hooks()["citecheck-extract"]
    good = run_hook(hook, [REFERENCE], shim_path, tmp_path)
    assert good.returncode == 0, good.stderr
    assert "@" in good.stdout and "title" in good.stdout
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\xff\xfe\x00\x00" + bytes(range(256)) * 50)
    refused = run_hook(hook, [bad], shim_path, tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.startswith("citecheck: error:")


def test_the_offline_audit_hook_fails_on_date_mismatches(
    tmp_path: Path, shim_path: dict[str, str]
) -> None:
    hook = hooks()["citecheck-audit-offline"]
    ran = run_hook(hook, [REFERENCE], shim_path, tmp_path)
    assert ran.returncode == 1, ran.stderr
    assert "date-mismatch" in ran.stdout
    clean = tmp_path / "clean.md"
    clean.write_text("No notes here.\n", encoding="utf-8")
    assert run_hook(hook, [clean], shim_path, tmp_path).returncode == 0


def test_the_online_audit_hook_runs(tmp_path: Path, shim_path: dict[str, str]) -> None:
    """Offline here: a text without links probes nothing; `args: [--offline]` is how a user
    would make it cache-only, and it must then still report."""
    hook = hooks()["citecheck-audit"]
    clean = tmp_path / "clean.md"
    clean.write_text("No notes here.\n", encoding="utf-8")
    assert run_hook(hook, [clean], shim_path, tmp_path).returncode == 0
    offline = dict(hook, args=["--offline", "--cache", str(tmp_path / "cache")])
    ran = run_hook(offline, [REFERENCE], shim_path, tmp_path)
    assert ran.returncode == 0, ran.stderr  # links unchecked; dates do not fail by default
    assert "citecheck audit:" in ran.stdout
