"""draft-reply never overwrites a file saved meanwhile, parallel drafts to one name leave one winner, a
kill leaves no stray files for long, and the .docx and its sources.json change together or not at all."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import docx
from click.testing import CliRunner

import drafter.app
from drafter.cli import draft_reply

ROOT = Path(__file__).resolve().parents[1]
EDITED = b"PK\x03\x04 a draft the clerk saved by hand"


def run_reply(store: Path, *args: str):
    return CliRunner().invoke(draft_reply, ["--store", str(store), *args], catch_exceptions=False)


def reply_process(store: Path, *args: str, prelude: str = "", timeout: float = 120) -> subprocess.CompletedProcess:
    """draft-reply in a process of its own, after `prelude` (Python run first, to arrange a kill)."""
    script = f"{prelude}\nfrom drafter.cli import draft_reply_main\ndraft_reply_main()"
    return subprocess.run([sys.executable, "-c", script, "--store", str(store), *args], capture_output=True,
                          timeout=timeout, cwd=ROOT)


def strays(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or p.name.endswith(".tmp"))


def pair_agrees(docx_path: Path) -> bool:
    """Every text sources.json lists stands in the .docx beside it."""
    sources = json.loads(docx_path.with_name(docx_path.stem + ".sources.json").read_text(encoding="utf-8"))
    body = "\n".join(p.text for p in docx.Document(str(docx_path)).paragraphs)
    return all(entry["text"] in body for entry in sources["progress"] + sources["plans"])


def test_a_file_saved_under_the_name_while_drafting_is_not_overwritten(sample_store, tmp_path, monkeypatch):
    out = tmp_path / "reply.docx"
    real = drafter.app.write_docx

    def write_while_the_clerk_saves(blocks, path, layout, comments=True):
        real(blocks, path, layout, comments=comments)
        out.write_bytes(EDITED)  # the clerk's own draft lands under that name just now

    monkeypatch.setattr(drafter.app, "write_docx", write_while_the_clerk_saves)
    result = run_reply(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(out))
    assert result.exit_code == 1 and "已存在" in result.output, result.output
    assert out.read_bytes() == EDITED
    assert not (tmp_path / "reply.sources.json").exists() and strays(tmp_path) == []


def test_parallel_drafts_to_one_name_leave_one_winner_and_the_others_refuse(sample_store, tmp_path):
    out = tmp_path / "reply.docx"
    args = ["--store", str(sample_store), "--proposal", "TA0395", "--counties", "阳城,高平", "--output", str(out)]
    script = "from drafter.cli import draft_reply_main\ndraft_reply_main()"
    runs = [subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             cwd=ROOT) for _ in range(4)]
    results = [(run.wait(timeout=180), run.stdout.read().decode(), run.stderr.read().decode()) for run in runs]
    for run in runs:
        run.stdout.close()
        run.stderr.close()
    assert sorted(code for code, _, _ in results) == [0, 1, 1, 1], results
    assert all("Traceback" not in err for _, _, err in results)
    assert sum("已写出" in o for _, o, _ in results) == 1
    assert pair_agrees(out) and strays(tmp_path) == []


def _killed_after_first_placement(force: bool) -> str:
    call = "os.replace" if force else "os.link"
    return f"""
import os, signal
import drafter.output
real = {call}
def place_then_die(src, dst, *args, **kwargs):
    real(src, dst, *args, **kwargs)
    if str(dst).endswith(".docx"):
        os.kill(os.getpid(), signal.SIGKILL)
drafter.output.{call} = place_then_die
"""


def test_a_kill_between_placing_the_draft_and_its_sources_is_completed_by_the_next_draft(sample_store, tmp_path):
    out = tmp_path / "reply.docx"
    first = reply_process(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(out))
    assert first.returncode == 0, first.stderr.decode()
    killed = reply_process(sample_store, "--proposal", "TA0395", "--counties", "高平", "--output", str(out), "--force",
                           prelude=_killed_after_first_placement(force=True))
    assert killed.returncode == -9
    # The next draft into the folder, of any name, first finishes the killed one's pair.
    later = run_reply(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(tmp_path / "other.docx"))
    assert later.exit_code == 0, later.output
    assert pair_agrees(out)
    assert "高平" in json.dumps(json.loads((tmp_path / "reply.sources.json").read_text(encoding="utf-8")),
                              ensure_ascii=False)
    assert strays(tmp_path) == []


def test_a_kill_while_writing_leaves_temporary_files_the_next_draft_sweeps(sample_store, tmp_path):
    out = tmp_path / "reply.docx"
    prelude = """
import os, signal
import drafter.app
real = drafter.app.write_docx
def write_then_die(blocks, path, layout, comments=True):
    real(blocks, path, layout, comments=comments)
    os.kill(os.getpid(), signal.SIGKILL)
drafter.app.write_docx = write_then_die
"""
    killed = reply_process(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(out),
                           prelude=prelude)
    assert killed.returncode == -9 and strays(tmp_path) != []
    assert not out.exists()
    again = run_reply(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(out))
    assert again.exit_code == 0, again.output
    assert pair_agrees(out) and strays(tmp_path) == []


def test_sigterm_while_writing_cleans_up_on_the_way_out(sample_store, tmp_path):
    out = tmp_path / "reply.docx"
    prelude = """
import os, signal
import drafter.app
real = drafter.app.write_docx
def write_then_terminate(blocks, path, layout, comments=True):
    real(blocks, path, layout, comments=comments)
    os.kill(os.getpid(), signal.SIGTERM)
drafter.app.write_docx = write_then_terminate
"""
    result = reply_process(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(out),
                           prelude=prelude)
    assert result.returncode != 0 and b"Traceback" not in result.stderr
    assert not out.exists() and strays(tmp_path) == []


def test_a_proposal_number_used_as_the_file_name_never_writes_outside_the_folder(sample_store, tmp_path, monkeypatch):
    csv = tmp_path / "提案.csv"
    csv.write_text("案号,案由,第一提案人\n../../evil,关于推进政务数据共享的提案,张三\n", encoding="utf-8")
    from conftest import run_drafter
    assert run_drafter(sample_store, "proposals", "import", str(csv)).exit_code == 0
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    result = run_reply(sample_store, "--proposal", "../../evil", "--counties", "阳城")
    assert result.exit_code == 0, result.output
    assert [p.name for p in work.iterdir() if p.suffix == ".docx"] == ["_.._evil答复.docx"]
    assert not any(p.name.startswith("evil") for p in tmp_path.iterdir())


def test_an_output_name_too_long_for_the_file_system_is_refused_clearly(sample_store, tmp_path):
    out = tmp_path / (("关于进一步加强和改进全市政务数据共享开放工作推进数字政府建设" * 3)[:84] + ".docx")
    result = run_reply(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(out))
    assert result.exit_code == 1 and "文件名太长" in result.output and "程序内部出错" not in result.output
    assert strays(tmp_path) == [] and len(list(tmp_path.iterdir())) == 1  # the store alone


def test_temporary_files_an_older_drafter_left_are_swept_once_they_are_old(sample_store, tmp_path):
    stale = tmp_path / ".reply.k3j9x_2a.docx.tmp"
    fresh = tmp_path / ".reply.sources.p0q8r7s6.json.tmp"  # may be a draft being written right now
    for path in (stale, fresh):
        path.write_bytes(b"PK\x03\x04 half a draft")
    two_hours_ago = stale.stat().st_mtime - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    result = run_reply(sample_store, "--proposal", "TA0395", "--counties", "阳城", "--output", str(tmp_path / "r.docx"))
    assert result.exit_code == 0, result.output
    assert not stale.exists() and fresh.exists()
