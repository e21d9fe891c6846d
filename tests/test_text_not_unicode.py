"""Text that is not Unicode, from a client, a data set file or a verifier, never fails a run.

JSON can spell a lone surrogate (``"\\ud800"``) and Python's ``json`` decodes it into a ``str``
with no UTF-8 form. Before: such a sample made the server answer 500 (and drop the
connection), the CLI stop with a traceback when writing the line, the client raise before
sending; a data set line that was not UTF-8 stopped the CLI with a traceback, and JSON nested
too deeply got a 400 that did not say why. Now input is refused as invalid JSON, one line or
one request, and text a verifier returns is repaired with U+FFFD.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from test_server_support import running_server

from rewardkit import Result, RewardEngine, Sample, Verifier, hookimpl, make_plugin_manager
from rewardkit.client import Client
from rewardkit.json_text import loads, unicode_text

PROBLEM = "application/problem+json"


@pytest.mark.parametrize("text", [
    '"\\ud800"',  # a lone high surrogate
    '"x\\udfff"',  # a lone low one
    '"\\udc00\\ud800"',  # a pair in the wrong order
    '{"\\uD83D": 1}',  # in a key, upper case
    '{"a": [{"b": "ok"}, "\\ud83d"]}',  # nested
    '"\ud800"',  # a raw one in a str
    b'"\xed\xa0\x80"',  # a raw one encoded as UTF-8, which json.loads decodes
    b'"\xff"',  # not UTF-8 at all
    b'\xff\xfe"\x00a\x00"\x00',  # UTF-16, which json.loads would take
    "[" * 100_000 + "]" * 100_000,  # nesting past Python's recursion limit
    "9" * 5000,  # an integer past Python's digit limit
])
def test_what_is_not_unicode_json_is_a_decode_error(text):
    with pytest.raises(json.JSONDecodeError):
        loads(text)


@pytest.mark.parametrize("text, value", [
    ('"\\ud83d\\ude00"', "\U0001f600"),  # a pair is one character
    ('"\\\\ud800"', "\\ud800"),  # an escaped backslash: the text \ud800, not a surrogate
    (b'\xef\xbb\xbf{"a": "\xc3\xa9"}', {"a": "é"}),  # a UTF-8 byte order mark is skipped
    ('{"a": Infinity}', {"a": float("inf")}),  # as json.loads reads it
])
def test_unicode_json_decodes_as_json_loads_does(text, value):
    assert loads(text) == value


def test_repair_replaces_lone_surrogates_and_joins_split_pairs():
    assert unicode_text("a\ud800b\udfff") == "a\ufffdb\ufffd"
    assert unicode_text("\ud83d" + "\ude00") == "\U0001f600"
    assert unicode_text("plain é") == "plain é"


BAD_BODIES = {
    "lone surrogate in the completion": '{"sample": {"completion": "\\ud800", "reference": "1"}}',
    "lone surrogate in a metadata key": '{"sample": {"completion": "1", "reference": "1", '
                                        '"metadata": {"\\udc00": 1}}}',
    "nested too deeply": '{"sample": {"completion": "1", "reference": ' + "[" * 50_000
                         + "]" * 50_000 + "}}",
}


@pytest.fixture(scope="module")
def server():
    with running_server(engine={"verifiers": ["exact_match"]}, max_body_bytes=1 << 20) as s:
        yield s


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_the_server_refuses_a_body_that_is_not_unicode_json_with_a_422(server, body):
    with httpx.Client(base_url=server.url, timeout=30) as http:
        for path, payload in [("/v1/verify/exact_match", body),
                              ("/v1/score", f'{{"samples": [{body[10:-1]}]}}')]:
            response = http.post(path, content=payload,
                                 headers={"content-type": "application/json"})
            assert response.status_code == 422, response.text
            assert response.headers["content-type"] == PROBLEM
            problem = response.json()
            assert problem["type"] == "/problems/invalid-request"
            assert "JSON decode error: " in problem["detail"]  # and then what is wrong
        # The connection and the server are fine afterwards.
        ok = http.post("/v1/verify/exact_match",
                       json={"sample": {"completion": "\U0001f600", "reference": "\U0001f600"}})
        assert ok.json()["reward"] == 1.0


def test_the_openrlhf_endpoint_refuses_it_too(server):
    with httpx.Client(base_url=server.url, timeout=30) as http:
        response = http.post("/v1/openrlhf/get_reward",
                             content='{"query": ["\\ud800"], "prompts": [""], "labels": ["1"]}',
                             headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    assert "lone surrogate \\ud800" in response.json()["detail"]


def test_the_client_sends_a_lone_surrogate_as_u_fffd_instead_of_failing_the_batch(server):
    with Client(server.url) as client:
        scores = client.score([{"completion": "a\ud800", "reference": "a\ufffd"},
                               {"completion": "1", "reference": "1"}])
    assert [s.reward for s in scores] == [1.0, 1.0]


def rk(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "rewardkit", *args], capture_output=True,
                          text=True, timeout=120, **kwargs)


def test_the_cli_skips_a_line_that_is_not_utf8_or_not_unicode_and_scores_the_rest(tmp_path):
    data = tmp_path / "in.jsonl"
    data.write_bytes(b'\xef\xbb\xbf{"completion": "1", "reference": "1"}\n'  # with a BOM
                     b'{"completion": "\xff", "reference": "1"}\n'
                     b'{"completion": "\\ud800", "reference": "1"}\n'
                     b'{"completion": "\xc3\xa9", "reference": "\xc3\xa9"}\n')
    out = tmp_path / "out.jsonl"
    proc = rk("score", str(data), "--verifier", "exact_match", "--keep", "completion",
              "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "skipped line 2: invalid JSON at column 17: not UTF-8 text" in proc.stderr
    assert ("skipped line 3: invalid JSON at column 17: a string holds the lone surrogate "
            "\\ud800, which is not Unicode text") in proc.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["line"], r["completion"], r["reward"]) for r in rows] == [(1, "1", 1.0),
                                                                       (4, "é", 1.0)]


PLUGIN = '''
from rewardkit import Result, Verifier, hookimpl


class Surrogates(Verifier):
    name = "surrogates"
    inline = {inline}

    def verify(self, sample):
        if sample.completion_text == "raise":
            raise ValueError("bad \\udcff byte")
        return Result(reward=1.0, reason="read \\ud800 here",
                      details={{"got": "\\udcff", "\\ud83d": ["\\ud83d" + "\\ude00"]}})


@hookimpl
def register_verifiers(register):
    register(Surrogates)
'''


@pytest.mark.parametrize("inline", [True, False], ids=["inline", "in a worker"])
def test_a_verifiers_lone_surrogates_are_repaired_and_every_output_writes_them(
        tmp_path, inline):
    """A verifier that decodes bytes with ``surrogateescape`` returns such text."""
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "surrogates.py").write_text(PLUGIN.format(inline=inline))
    data = tmp_path / "in.jsonl"
    data.write_text('{"completion": "x"}\n{"completion": "raise"}\n')
    out = tmp_path / "out.jsonl"
    proc = rk("score", str(data), "--verifier", "surrogates", "--details", "-o", str(out),
              "--plugins-dir", str(tmp_path / "plugins"))
    assert proc.returncode == 0, proc.stderr
    first, second = (json.loads(line)["results"][0] for line in out.read_text().splitlines())
    assert (first["reward"], first["reason"]) == (1.0, "read \ufffd here")
    assert first["details"] == {"got": "\ufffd", "\ufffd": ["\U0001f600"]}
    assert second["status"] == "error" and second["reason"] == "ValueError: bad \ufffd byte"


class Surrogates(Verifier):
    name = "surrogates"

    def verify(self, sample: Sample) -> Result:
        return Result(reward=1.0, reason="\ud800", details={"got": "\udcff"})


class SurrogatesPlugin:
    @hookimpl
    def register_verifiers(self, register):  # type: ignore[no-untyped-def]
        register(Surrogates)


def test_the_server_answers_with_a_verifiers_repaired_text():
    plugins = [SurrogatesPlugin()]
    with running_server(engine={"verifiers": ["surrogates"]}, plugins=plugins) as server, \
            httpx.Client(base_url=server.url, timeout=30) as http:
        response = http.post("/v1/score", json={"samples": [{"completion": "x"}] * 3})
    assert response.status_code == 200, response.text
    results = [score["results"][0] for score in response.json()["scores"]]
    assert all((r["reason"], r["details"]) == ("\ufffd", {"got": "\ufffd"}) for r in results)


def test_the_engine_in_process_repairs_them_too():
    pm = make_plugin_manager()
    pm.register(SurrogatesPlugin())
    with RewardEngine(["surrogates"], plugin_manager=pm, workers=1) as engine:
        [score] = engine.score([{"completion": "x"}])
    assert score.results[0].reason == "\ufffd"
    json.dumps(score.model_dump(), ensure_ascii=False).encode("utf-8")  # writable


def test_an_emoji_sent_as_a_surrogate_pair_is_one_character_in_and_out(tmp_path: Path):
    data = tmp_path / "in.jsonl"
    data.write_text('{"completion": "\\ud83d\\ude00", "reference": "\\ud83d\\ude00"}\n')
    out = tmp_path / "out.jsonl"
    proc = rk("score", str(data), "--verifier", "exact_match", "--keep-all", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    row = json.loads(out.read_bytes().decode("utf-8"))
    assert (row["completion"], row["reward"]) == ("\U0001f600", 1.0)
