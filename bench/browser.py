"""Browser benchmark: ~200 KB answers of three shapes streamed at 4 000 chars/s into a real JupyterLab in Chromium.

Run: `.venv/bin/python bench/browser.py` (needs Debian's /usr/bin/chromium; no network). Writes
`bench/results/browser.json` and prints, per document, a markdown table against the targets (the
rendering facts in docs/facts.md#browser-rendering-must-be-tail-only, and those listed below):

- delta→DOM latency (kernel send time of each `ops` message, recorded by wrapping `Wire._deliver`
  in the kernel, vs the page's epoch clock when the frame holding it finished: `el.__axioNbPerf`);
- render ms per frame for the first and the last 10 % of frames (flat as the answer grows);
- long tasks over 50 ms (a buffered `longtask` PerformanceObserver installed before the page loads),
  while streaming and at the end of the turn (the last frame, the snapshot swap, JupyterLab's own work);
- whether the notebook followed the stream: the scrolling ancestor's bottom at the output's end when
  the turn ended;
- the final DOM of the text block vs a one-shot `renderMarkdown` of the same text (the bundle's own
  export, imported into the page from a Blob URL as anywidget does; typeset formulas are put back to
  their placeholders first), and the widget's text vs the static snapshot's text (formulas left out:
  KaTeX and MathJax write them differently).

The page probe only watches mutations and reads layout once, when the turn ends: a probe that read
`innerText` (or any layout) every frame would force a layout of the whole notebook and add long tasks
of its own.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser.harness import (  # noqa: E402
    SNAPSHOT,
    LabServer,
    NotebookPage,
    js_number_summary,
    launch_browser,
    new_context,
)

RESULTS = REPO / "bench" / "results" / "browser.json"
BUNDLE = REPO / "axio_nb" / "static" / "stream.js"

TARGETS = {
    "latency_p95_ms": 30.0,
    "render_ms_per_frame": 5.0,
    "long_tasks_over_50ms": 1,
    "end_of_turn_long_tasks_total_ms": 300.0,
    "end_of_turn_long_task_max_ms": 150.0,
}

#: The demo's own long answer (one ~28 KB fence), and two seeded documents of every block shape
#: (`axio_nb/demo/mixed.py`): the second one with a 900-line fence.
DOCUMENTS = ("long 200k", "long 200k seed 7", "long 200k seed 11 code 900")
#: After the cell is done: JupyterLab's table of contents and the snapshot's first paint come late.
SETTLE_MS = 2000

#: Kernel side: log (seq, epoch ms) of every `ops` message just before it goes out.
SETUP_CELL = """\
import json, time
import axio_nb.stream.wire as _bench_wire
_BENCH_SENT = []
_bench_orig_deliver = _bench_wire.Wire._deliver
def _bench_deliver(self, message, buffers):
    if message.get("type") == "ops":
        _BENCH_SENT.append((message["seq"], time.time() * 1000))
    _bench_orig_deliver(self, message, buffers)
_bench_wire.Wire._deliver = _bench_deliver"""

DUMP_CELL = """\
import os
with open("bench_sent.tmp", "w") as _f:
    json.dump({"sent": _BENCH_SENT, "text": R.text, "status": R.status, "stop_reason": R.stop_reason}, _f)
os.replace("bench_sent.tmp", "bench_sent.json")
print("dumped", len(_BENCH_SENT))"""

#: Page side, before JupyterLab loads: long tasks, a reference to the live view's perf log, the moment the
#: turn ends (data-status), the text blocks' final HTML, and the streamed DOM just before the final render.
PAGE_PROBE = r"""
(() => {
  const B = (window.__bench = { longtasks: [], perf: null, final: null, streamed: null, resets: 0, statuses: [] });
  const now = () => performance.now() + performance.timeOrigin;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        B.longtasks.push({ start: e.startTime + performance.timeOrigin, duration: e.duration });
      }
    }).observe({ type: "longtask", buffered: true });
  } catch (err) {
    B.longtaskError = String(err);
  }
  // StreamingMarkdown.reset() clears its element with textContent = "" before the final whole render:
  // keep what streaming had built, to compare it with a one-shot render.
  const desc = Object.getOwnPropertyDescriptor(Node.prototype, "textContent");
  Object.defineProperty(Node.prototype, "textContent", {
    configurable: true,
    enumerable: desc.enumerable,
    get: desc.get,
    set(value) {
      const md = this.nodeType === 1 && this.classList.contains("axio-nb-md") && this.closest(".axio-nb-text");
      if (value === "" && md && this.firstChild) {
        B.resets += 1;
        B.streamed = { t: now(), html: this.innerHTML };
      }
      desc.set.call(this, value);
    },
  });
  // The element that actually scrolls: an ancestor whose content overflows and whose overflow scrolls.
  const scroller = (el) => {
    for (let n = el.parentElement; n; n = n.parentElement) {
      const oy = getComputedStyle(n).overflowY;
      if (/(auto|scroll|overlay)/.test(oy) && n.scrollHeight > n.clientHeight + 1) return n;
    }
    return document.scrollingElement;
  };
  const followed = (root) => {
    const end = root.isConnected ? root : document.querySelector(".axio-nb-snapshot");
    if (!end) return { error: "no output in the page" };
    const box = scroller(end);
    const bottom = end.getBoundingClientRect().bottom;
    const limit = box === document.scrollingElement ? innerHeight : box.getBoundingClientRect().bottom;
    return {
      scroller: box.className || box.tagName,
      scrollTop: box.scrollTop,
      scrollHeight: box.scrollHeight,
      outputEndBelowBottom: bottom - limit,
      // At the bottom: the end of the output is visible, no more than a line below the scroller's edge.
      atEnd: bottom <= limit + 24 && bottom > limit - box.clientHeight,
    };
  };
  const watch = new MutationObserver(() => {
    const root = document.querySelector(".axio-nb-stream:not(.axio-nb-snapshot)");
    if (!root) return;
    watch.disconnect();
    B.tRoot = now();
    B.perf = root.parentElement.__axioNbPerf || null;
    new MutationObserver(() => {
      const s = root.dataset.status;
      B.statuses.push({ s, t: now() });
      if (!B.final && (s === "done" || s === "error" || s === "interrupted")) {
        // Keep the nodes, serialise them after the run: 200 KB of innerHTML here would be a long task of ours.
        B.mds = [...root.querySelectorAll(".axio-nb-block.axio-nb-text .axio-nb-md")];
        B.final = { t: now(), status: s };
        // Two frames on, the view's auto-scroll has run for the last render: did the notebook follow?
        requestAnimationFrame(() => requestAnimationFrame(() => (B.follow = followed(root))));
      }
    }).observe(root, { attributes: true, attributeFilter: ["data-status"] });
    const area = root.closest(".jp-OutputArea");
    if (area) {
      const swap = new MutationObserver(() => {
        const snap = area.querySelector(".axio-nb-snapshot");
        if (snap) {
          B.tSwap = now();
          swap.disconnect();
          // The snapshot replaced the view: is the end of the answer still where the reader followed it?
          requestAnimationFrame(() => requestAnimationFrame(() => (B.followSwap = followed(snap))));
        }
      });
      swap.observe(area, { childList: true });
    }
  });
  const start = () => watch.observe(document.body, { childList: true, subtree: true });
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
"""

#: After the run: what the probe kept, with the final text blocks serialised now rather than inside a frame.
COLLECT = r"""
() => {
  const B = window.__bench;
  // Text without the formulas: the live view typesets them with KaTeX, the snapshot with MathJax.
  const textOf = (root) => {
    const copy = root.cloneNode(true);
    copy.querySelectorAll(".axio-nb-code-bar, .axio-nb-math").forEach((e) => e.remove());
    return copy.textContent;
  };
  // The DOM as a one-shot renderMarkdown leaves it: each KaTeX-typeset formula back to its placeholder.
  const untypeset = (root) => {
    const copy = root.cloneNode(true);
    for (const el of copy.querySelectorAll(".axio-nb-math-typeset")) {
      el.textContent = el.querySelector('annotation[encoding="application/x-tex"]')?.textContent ?? "";
      el.classList.remove("axio-nb-math-typeset");
    }
    return copy.innerHTML;
  };
  const mds = B.mds || [];
  return {
    longtasks: B.longtasks,
    longtaskError: B.longtaskError,
    perf: B.perf && { frames: [...B.perf.frames], applied: [...B.perf.applied] },
    final: B.final && { ...B.final, html: mds.map(untypeset), text: mds.map(textOf) },
    streamed: B.streamed,
    resets: B.resets,
    statuses: B.statuses,
    tRoot: B.tRoot,
    tSwap: B.tSwap,
    follow: B.follow || null,
    followSwap: B.followSwap || null,
  };
}
"""

#: Import the built bundle as anywidget does (Blob URL) and render the whole text once; time it.
ONE_SHOT = r"""
async ([src, text]) => {
  const url = URL.createObjectURL(new Blob([src], { type: "text/javascript" }));
  const mod = await import(url);
  URL.revokeObjectURL(url);
  const times = [];
  let html = "";
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    html = mod.renderMarkdown(text);
    times.push(performance.now() - t0);
  }
  return { html, times };
}
"""

#: Compare two HTML strings by text and by the sequence of markdown elements (div/span/button are layout).
COMPARE = r"""
([a, b]) => {
  const parse = (html) => {
    const t = document.createElement("template");
    t.innerHTML = html;
    const layout = ["DIV", "SPAN", "BUTTON"];
    const tags = [...t.content.querySelectorAll("*")].map((e) => e.tagName).filter((n) => !layout.includes(n));
    return { text: t.content.textContent.replace(/\s+/g, " ").trim(), tags };
  };
  const x = parse(a), y = parse(b);
  let i = 0;
  while (i < x.text.length && i < y.text.length && x.text[i] === y.text[i]) i++;
  let j = 0;
  while (j < x.tags.length && j < y.tags.length && x.tags[j] === y.tags[j]) j++;
  const around = (str) => str.slice(Math.max(0, i - 60), i + 80);
  return {
    textLen: [x.text.length, y.text.length],
    textCommonPrefix: i,
    textContext: [around(x.text), around(y.text)],
    tagLen: [x.tags.length, y.tags.length],
    tagCommonPrefix: j,
    tagContext: [x.tags.slice(j, j + 6), y.tags.slice(j, j + 6)],
  };
}
"""


def top_self_time(profile: dict[str, Any], n: int = 25) -> str:
    """The functions with the most self time in a CDP CPU profile (open the file in Chrome DevTools for more)."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    deltas = profile.get("timeDeltas", [])
    self_ms: dict[str, float] = {}
    for sample, dt in zip(profile.get("samples", []), deltas, strict=False):
        frame = nodes[sample]["callFrame"]
        where = f"{frame['url'].rsplit('/', 1)[-1][:40]}:{frame['lineNumber'] + 1}"
        key = f"{frame['functionName'] or '(anonymous)'} {where}"
        self_ms[key] = self_ms.get(key, 0.0) + dt / 1000
    top = sorted(self_ms.items(), key=lambda kv: -kv[1])[:n]
    return "\n".join(f"{ms:9.1f} ms  {name}" for name, ms in top)


TRACE_CATEGORIES = ["toplevel", "devtools.timeline", "blink.user_timing"]


def trace_long_tasks(path: Path, over_ms: float = 50.0) -> str:
    """Each main-thread task over `over_ms` in a Chromium trace, with the time of the events inside it
    by name (self time: an event's duration minus its children's), to see whether layout, paint, a GC
    or script made it long."""
    events = json.loads(path.read_text())
    events = events.get("traceEvents", events) if isinstance(events, dict) else events
    main = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("ph") == "M" and e.get("name") == "thread_name" and e["args"].get("name") == "CrRendererMain"
    }
    by_thread: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for e in events:
        if e.get("ph") == "X" and (e["pid"], e["tid"]) in main and "dur" in e:
            by_thread.setdefault((e["pid"], e["tid"]), []).append(e)
    lines = []
    for evs in by_thread.values():
        evs.sort(key=lambda e: (e["ts"], -e["dur"]))
        tasks = [e for e in evs if e["name"].endswith("RunTask") and e["dur"] >= over_ms * 1000]
        t_first = evs[0]["ts"] if evs else 0
        for task in tasks:
            end = task["ts"] + task["dur"]
            inside = [e for e in evs if task["ts"] <= e["ts"] and e["ts"] + e["dur"] <= end and e is not task]
            own: dict[str, float] = {}
            stack: list[dict[str, Any]] = []
            for e in inside:
                while stack and stack[-1]["ts"] + stack[-1]["dur"] <= e["ts"]:
                    stack.pop()
                if stack:
                    own[stack[-1]["name"]] = own.get(stack[-1]["name"], 0.0) - e["dur"] / 1000
                own[e["name"]] = own.get(e["name"], 0.0) + e["dur"] / 1000
                stack.append(e)
            top = sorted(own.items(), key=lambda kv: -kv[1])[:6]
            parts = ", ".join(f"{name} {ms:.0f}" for name, ms in top if ms >= 1)
            lines.append(f"{(task['ts'] - t_first) / 1e6:8.2f} s  {task['dur'] / 1000:6.0f} ms: {parts}")
    return "long tasks in the trace (self ms by event):\n" + "\n".join(lines)


def norm(text: str) -> str:
    return " ".join(text.split())


def first_diff(a: str, b: str) -> dict[str, Any] | None:
    if a == b:
        return None
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return {"at": i, "len": [len(a), len(b)], "a": a[max(0, i - 60) : i + 80], "b": b[max(0, i - 60) : i + 80]}


def run(
    prompt: str,
    pace: int,
    timeout_s: float,
    esm: Path | None = None,
    cpu_profile: Path | None = None,
    trace: Path | None = None,
    warm_mathjax: bool = False,
    heap_profile: Path | None = None,
) -> dict[str, Any]:
    bundle = esm or BUNDLE
    if not bundle.exists() or bundle.stat().st_size == 0:
        raise SystemExit(f"{bundle} is missing or empty: run `make widgets` first")
    # --esm: another build of the same view (e.g. unminified, for a readable --cpu-profile), loaded whole.
    with LabServer(esm=esm) as server:
        cells = [
            f"%load_ext axio_nb\n%axio use demo pace={pace}",
            SETUP_CELL,
            f"%%axio chat --out R --max-tokens 1000000\n{prompt}",
            DUMP_CELL,
        ]
        if warm_mathjax:
            # A markdown cell with math: JupyterLab typesets it when the notebook opens, so its MathJax is
            # loaded before the turn (as in any notebook whose text has math), not at the snapshot swap.
            cells.append(("markdown", "Warm-up: $x^2$"))
        filename = server.write_notebook("bench_browser", cells)
        pw, browser = launch_browser()
        try:
            ctx = new_context(browser)
            page = ctx.new_page()
            page.add_init_script(PAGE_PROBE)
            nb = NotebookPage(page, server, filename).open()
            cdp = ctx.new_cdp_session(page) if cpu_profile or heap_profile else None
            if cdp is not None and cpu_profile is not None:
                cdp.send("Profiler.enable")
                cdp.send("Profiler.setSamplingInterval", {"interval": 200})
                cdp.send("Profiler.start")
            if cdp is not None and heap_profile is not None:
                # Every allocation sampled, garbage included: what the stream allocates, not what it keeps.
                cdp.send("HeapProfiler.enable")
                cdp.send(
                    "HeapProfiler.startSampling",
                    {
                        "samplingInterval": 16384,
                        "includeObjectsCollectedByMajorGC": True,
                        "includeObjectsCollectedByMinorGC": True,
                    },
                )
            if trace is not None:
                browser.start_tracing(page=page, path=str(trace), categories=TRACE_CATEGORIES)
            t0 = time.monotonic()
            nb.run_all()
            # Wait on the kernel's dump file, not on the page: Playwright's selector queries over a DOM
            # growing to 200 KB cost milliseconds each and would land in the frames being measured.
            dump = server.root_dir / "bench_sent.json"
            while not dump.exists():
                if time.monotonic() - t0 > timeout_s:
                    raise TimeoutError(f"no {dump.name} after {timeout_s} s:\n{server.log_tail()}")
                time.sleep(0.25)
            wall_s = time.monotonic() - t0
            nb.wait_executed(3, timeout_ms=30_000)
            if cdp is not None and cpu_profile is not None:
                profile = cdp.send("Profiler.stop")["profile"]
                cpu_profile.write_text(json.dumps(profile))
                print(top_self_time(profile))
            if cdp is not None and heap_profile is not None:
                sampled = cdp.send("HeapProfiler.stopSampling")["profile"]
                heap_profile.write_text(json.dumps(sampled))
                print(top_allocations(sampled))
            page.wait_for_timeout(SETTLE_MS)  # let late long tasks (the snapshot's render, the ToC) be reported
            if trace is not None:
                browser.stop_tracing()
                print(trace_long_tasks(trace))
            bench = page.evaluate(COLLECT)
            kernel = json.loads(dump.read_text())
            one_shot = page.evaluate(ONE_SHOT, [bundle.read_text(), kernel["text"]])
            snapshot_text = page.evaluate(
                "(sel) => [...document.querySelectorAll(sel + ' .axio-nb-text')].map((e) => {"
                " const c = e.cloneNode(true);"
                " c.querySelectorAll('.axio-nb-copy, .axio-nb-math').forEach((b) => b.remove());"
                " return c.textContent; })",
                SNAPSHOT,
            )
            final_html = (bench.get("final") or {}).get("html") or []
            final_text = (bench.get("final") or {}).get("text") or []
            streamed = (bench.get("streamed") or {}).get("html")
            streamed_cmp = page.evaluate(COMPARE, [streamed, one_shot["html"]]) if streamed else None
            console_errors = [c for c in nb.console if c.startswith(("error", "pageerror"))]
            ctx.close()
        finally:
            browser.close()
            pw.stop()
    return analyse(
        prompt,
        pace,
        wall_s,
        bench,
        kernel,
        one_shot,
        final_html,
        final_text,
        snapshot_text,
        streamed_cmp,
        console_errors,
    )


def analyse(
    prompt: str,
    pace: int,
    wall_s: float,
    bench: dict[str, Any],
    kernel: dict[str, Any],
    one_shot: dict[str, Any],
    final_html: list[str],
    final_text: list[str],
    snapshot_text: list[str],
    streamed_cmp: dict[str, Any] | None,
    console_errors: list[str],
) -> dict[str, Any]:
    perf = bench.get("perf") or {"frames": [], "applied": []}
    sent = {int(seq): float(t) for seq, t in kernel["sent"]}
    applied = {int(a["seq"]): float(a["t"]) for a in perf["applied"]}
    latencies = [applied[s] - sent[s] for s in sorted(sent) if s in applied]
    frames = [float(f) for f in perf["frames"]]
    tenth = max(1, len(frames) // 10)
    t_first = min(sent.values()) if sent else 0.0
    t_done = (bench.get("final") or {}).get("t")
    t_swap = bench.get("tSwap")
    # `at_s`: seconds after the kernel sent the first ops message.
    tasks = [
        {**lt, "at_s": round((lt["start"] - t_first) / 1000, 2)}
        for lt in bench["longtasks"]
        if lt["start"] >= t_first - 50
    ]
    during, final_render, after = [], [], []
    for lt in tasks:
        end = lt["start"] + lt["duration"]
        if t_done is not None and lt["start"] <= t_done <= end + 5:
            final_render.append(lt)
        elif t_done is not None and lt["start"] > t_done:
            after.append(lt)
        else:
            during.append(lt)
    # The final whole render is the frame that ended the turn: the largest of the last few frames.
    last_frames = frames[-5:]
    final_frame = max(last_frames) if last_frames else None
    streaming_frames = frames[:-5] if len(frames) > 5 else frames
    oneshot_equal = bool(final_html) and final_html[-1] == one_shot["html"]
    widget_vs_snapshot = (
        first_diff(norm("\n".join(final_text)), norm("\n".join(snapshot_text)))
        if final_text
        else "no final text captured"
    )
    return {
        "prompt": prompt,
        "pace_chars_per_s": pace,
        "answer_chars": len(kernel["text"]),
        "status": kernel["status"],
        "stop_reason": kernel["stop_reason"],
        "wall_s": round(wall_s, 1),
        "live_view_rendered": bench.get("tRoot") is not None,
        "live_view_perf_hook": bench.get("perf") is not None,
        "ops_messages_sent": len(sent),
        "ops_messages_applied": len(applied),
        # A seq the view never applied as `ops` came to it inside a `state` replay (e.g. before the ESM loaded).
        "ops_seqs_not_applied": sorted(set(sent) - set(applied))[:50],
        "latency_ms": js_number_summary(latencies),
        "frames": len(frames),
        "render_ms_first_10pct": js_number_summary(frames[:tenth]),
        "render_ms_last_10pct": js_number_summary(frames[-tenth:]),
        "render_ms_streaming": js_number_summary(streaming_frames),
        "render_ms_final_frame": final_frame,
        "render_ms_by_decile": [
            {
                k: round(v, 2)
                for k, v in js_number_summary(frames[i * len(frames) // 10 : (i + 1) * len(frames) // 10]).items()
            }
            for i in range(10)
        ]
        if len(frames) >= 10
        else [],
        "raw": {"frames_ms": [round(f, 2) for f in frames], "latency_ms": [round(x, 1) for x in latencies]},
        "long_tasks": {
            "during_stream": during,
            "final_render": final_render,
            "after_turn_snapshot_swap": after,
            "longtask_observer_error": bench.get("longtaskError"),
        },
        "end_of_turn_long_tasks": {
            "n": len(final_render) + len(after),
            "total_ms": round(sum(t["duration"] for t in final_render + after), 1),
            "max_ms": round(max((t["duration"] for t in final_render + after), default=0.0), 1),
        },
        "followed": bench.get("follow"),
        "followed_after_swap": bench.get("followSwap"),
        "snapshot_swap_after_done_ms": (t_swap - t_done) if (t_swap and t_done) else None,
        "markdown_restarts_during_stream": max(0, int(bench.get("resets", 0)) - 1),
        "final_dom_equals_one_shot": oneshot_equal,
        "final_dom_diff": None
        if oneshot_equal
        else first_diff(final_html[-1] if final_html else "", one_shot["html"]),
        "one_shot_render_ms": [round(t, 1) for t in one_shot["times"]],
        "streamed_dom_vs_one_shot": streamed_cmp,
        "widget_text_vs_snapshot_text": widget_vs_snapshot,
        "console_errors": console_errors[:20],
    }


def _fmt(v: Any, nd: int = 1) -> str:
    return "—" if v is None else (f"{v:.{nd}f}" if isinstance(v, float) else str(v))


def _where_the_end_was(follow: dict[str, Any]) -> str:
    """The probe's `followed(…)` reading as a table cell."""
    if "atEnd" not in follow:
        return f"not measured: {follow}"
    return (
        f"{'yes' if follow.get('atEnd') else 'NO'}: end {follow.get('outputEndBelowBottom', 0):.0f} px below the "
        f"bottom of {follow.get('scroller')} (scrollTop {follow.get('scrollTop')})"
    )


def table(r: dict[str, Any]) -> str:
    lat, f1, f9, st = (
        r[k] for k in ("latency_ms", "render_ms_first_10pct", "render_ms_last_10pct", "render_ms_streaming")
    )
    lt = r["long_tasks"]
    during = lt["during_stream"]
    longest = max((t["duration"] for t in during), default=0.0)
    eot = r["end_of_turn_long_tasks"]
    follow = r["followed"] or {}
    swap_follow = r.get("followed_after_swap") or {}

    def ok(good: bool) -> str:
        return "✅" if good else "❌"

    def three(s: dict[str, Any], nd: int) -> str:
        return f"{_fmt(s.get('p50'), nd)} / {_fmt(s.get('p95'), nd)} / {_fmt(s.get('max'), nd)} ms (n={s['n']})"

    sv = r["streamed_dom_vs_one_shot"]
    streamed = (
        f"text {sv['textCommonPrefix']:,}/{sv['textLen'][1]:,} chars, elements {sv['tagCommonPrefix']:,}/"
        f"{sv['tagLen'][1]:,} in common before the first difference"
        if sv
        else "not captured"
    )
    wvs = r["widget_text_vs_snapshot_text"]
    if wvs is None:
        same_text = "yes"
    else:
        same_text = f"no: {wvs}" if isinstance(wvs, str) else f"no: first difference at char {wvs['at']}"
    answer = (
        f"{r['answer_chars']:,} chars at {r['pace_chars_per_s']} chars/s, {r['wall_s']} s, "
        f"{r['ops_messages_sent']} ops messages ({r['ops_messages_applied']} applied), stop {r['stop_reason']}"
    )
    deciles = " · ".join(f"{d['p50']:.1f}/{d['p95']:.1f}" for d in r["render_ms_by_decile"])
    final_frame = f"{_fmt(r['render_ms_final_frame'])} ms; one-shot renderMarkdown alone {r['one_shot_render_ms']} ms"
    long_tasks = f"{len(during)} (longest {longest:.0f} ms; at {', '.join(f'{t["at_s"]:.1f}' for t in during)} s)"
    end_tasks = f"{eot['n']} tasks, {eot['total_ms']:.0f} ms in all, longest {eot['max_ms']:.0f} ms"
    followed, kept_end = _where_the_end_was(follow), _where_the_end_was(swap_follow)
    rendered = "yes" if r["live_view_rendered"] else "NO: the live view never rendered (only the snapshot)"
    rows = [
        ("answer", answer, "", ""),
        ("live view rendered during the turn", rendered, "yes", ok(r["live_view_rendered"])),
        ("delta→DOM latency p50 / p95 / max", three(lat, 1), "p95 ≤ 30 ms", ok(lat.get("p95", 1e9) <= 30)),
        ("render per frame, first 10 %: p50 / p95 / max", three(f1, 2), "≤ 5 ms", ok(f1.get("p95", 1e9) <= 5)),
        ("render per frame, last 10 %: p50 / p95 / max", three(f9, 2), "≤ 5 ms, flat", ok(f9.get("p95", 1e9) <= 5)),
        ("render per frame, all but the last 5", three(st, 2), "≤ 5 ms", ok(st.get("p95", 1e9) <= 5)),
        ("render p50 / p95 per tenth of the answer", deciles, "flat", ""),
        ("final frame (whole text rendered once)", final_frame, "", ""),
        ("long tasks > 50 ms while streaming", long_tasks, "≤ 1", ok(len(during) <= 1)),
        (
            "end of the turn: long tasks (last frame, snapshot swap, JupyterLab)",
            end_tasks,
            "≤ 300 ms in all, none > 150 ms",
            ok(eot["total_ms"] <= 300 and eot["max_ms"] <= 150),
        ),
        ("the notebook followed the stream to the end", followed, "yes", ok(bool(follow.get("atEnd")))),
        (
            "the end still in view after the snapshot replaced the view",
            kept_end,
            "yes",
            ok(bool(swap_follow.get("atEnd"))),
        ),
        (
            "final DOM == one-shot renderMarkdown",
            str(r["final_dom_equals_one_shot"]),
            "identical",
            ok(r["final_dom_equals_one_shot"]),
        ),
        ("streamed DOM before the final render vs one-shot", streamed, "", ""),
        ("widget text == snapshot text (whitespace-normalised)", same_text, "", ""),
    ]
    out = ["| measure | result | target | |", "|---|---|---|---|"]
    out += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(out)


def summary(results: list[dict[str, Any]]) -> str:
    """One row per document: the targets only."""
    out = [
        "| document | long tasks while streaming | render p95 / frame | end of turn: total / longest | followed |",
        "|---|---:|---:|---:|---|",
    ]
    for r in results:
        eot = r["end_of_turn_long_tasks"]
        follow = (r["followed"] or {}).get("atEnd")
        out.append(
            f"| `{r['prompt']}` ({r['answer_chars']:,} chars) | {len(r['long_tasks']['during_stream'])} | "
            f"{_fmt(r['render_ms_streaming'].get('p95'), 2)} ms | {eot['total_ms']:.0f} / {eot['max_ms']:.0f} ms | "
            f"{'yes' if follow else 'no'} |"
        )
    return "\n".join(out)


def top_allocations(profile: dict[str, Any], n: int = 25) -> str:
    """The functions that allocated most (sampled, garbage included), by self bytes."""
    by_fn: dict[str, float] = {}

    def walk(node: dict[str, Any]) -> None:
        frame = node["callFrame"]
        url = frame.get("url", "").rsplit("/", 1)[-1][:40]
        key = f"{frame.get('functionName') or '(anonymous)'} {url}:{frame.get('lineNumber', 0) + 1}"
        by_fn[key] = by_fn.get(key, 0) + node.get("selfSize", 0)
        for child in node.get("children", []):
            walk(child)

    walk(profile["head"])
    total = sum(by_fn.values()) or 1
    out = [f"allocations (sampled, {total / 1e6:.0f} MB in all), by function:"]
    for key, size in sorted(by_fn.items(), key=lambda kv: -kv[1])[:n]:
        out.append(f"  {size / 1e6:8.1f} MB {100 * size / total:5.1f} %  {key}")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompt", action="append", help=f"repeatable (default: {', '.join(DOCUMENTS)})")
    parser.add_argument("--pace", type=int, default=4000, help="demo chars per second")
    parser.add_argument("--timeout", type=float, default=240.0, help="seconds per document")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--esm", type=Path, help="run with this build of stream.js instead of axio_nb/static/stream.js"
    )
    parser.add_argument("--cpu-profile", type=Path, help="write a CDP CPU profile of the run here (.cpuprofile)")
    parser.add_argument(
        "--heap-profile", type=Path, help="write a sampled allocation profile here and list what allocated most"
    )
    parser.add_argument("--trace", type=Path, help="write a Chromium trace here and list what its long tasks did")
    parser.add_argument(
        "--warm-mathjax",
        action="store_true",
        help="add a markdown cell with math, so JupyterLab's MathJax is loaded before the turn (not at its end)",
    )
    args = parser.parse_args()
    results = []
    for prompt in args.prompt or DOCUMENTS:
        result = run(
            prompt,
            args.pace,
            args.timeout,
            args.esm,
            args.cpu_profile,
            args.trace,
            args.warm_mathjax,
            args.heap_profile,
        )
        result["warm_mathjax"] = args.warm_mathjax
        result["targets"] = TARGETS
        result["esm_override"] = str(args.esm) if args.esm else None  # None: loaded as shipped (boot.js loader)
        result["when"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        results.append(result)
        print(f"\n### `{prompt}`\n\n{table(result)}", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(f"\n{summary(results)}")
    print(f"\nwritten: {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}")


if __name__ == "__main__":
    main()
