/* The alignment editor: rows from /api/rows, edits to /api/edit, keys first. Text goes in with
   textContent only, so a sentence holding HTML is shown as text. Only a window of rows around the
   focused one is in the page, so a 30,000-row document stays quick. */
"use strict";
(() => {
  const data = JSON.parse(document.getElementById("ui:data").textContent);
  const token = document.querySelector('meta[name="aligner-token"]').content;
  const grid = document.getElementById("ui:grid");
  const status = document.getElementById("ui:status");
  const progress = document.getElementById("ui:progress");
  const pairSelect = document.getElementById("ui:pair");
  const form = document.getElementById("ui:sentence");
  const WINDOW = 120, BEFORE = 40;
  let rows = [], version = "", pair = data.pair, low = 0.5, focus = 0, start = 0, busy = false, qa = "";

  const tagOf = (lang) => data.tags[lang] || lang;  // the version's full tag: zh-Hant-TW
  const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
  const say = (text, kind) => { status.textContent = text; status.className = "status " + (kind || ""); };

  function cell(sentences, lang, side) {
    const c = el("div", "cell " + side); c.setAttribute("role", "gridcell"); c.lang = tagOf(lang);
    if (!sentences.length) { const none = el("span", "none", "— omission: not in this version"); none.lang = "en"; c.append(none); }
    sentences.forEach(([id, text]) => { const s = el("span", "s", text); s.dataset.id = id; s.title = id; c.append(s, " "); });
    return c;
  }

  function rowElement(row, n) {
    const r = el("div", "row" + (row.resp === "person" ? " confirmed" : "") + (row.resp !== "person" && row.confidence < low ? " low" : "") + (row.findings.length ? " flagged" : ""));
    r.setAttribute("role", "row"); r.setAttribute("aria-rowindex", String(n + 1)); r.dataset.n = String(n); r.tabIndex = -1;
    const gut = el("div", "gut"); gut.setAttribute("role", "rowheader");
    gut.append(el("span", "num", String(n)), el("span", "conf", row.confidence.toFixed(2)), el("span", "who", row.resp === "person" ? "✓ confirmed" : "machine"), el("span", "type", row.type));
    const qa = el("div", "qa"); qa.setAttribute("role", "gridcell");
    row.findings.forEach(f => qa.append(el("div", "finding", f)));
    r.append(gut, cell(row.src, pair[0], "src"), cell(row.tgt, pair[1], "tgt"), qa);
    r.addEventListener("click", () => setFocus(n));
    return r;
  }

  function render() {
    start = Math.max(0, Math.min(focus - BEFORE, rows.length - WINDOW));
    const end = Math.min(rows.length, start + WINDOW);
    grid.replaceChildren(...rows.slice(start, end).map((row, k) => rowElement(row, start + k)));
    grid.setAttribute("aria-rowcount", String(rows.length));
    const confirmed = rows.filter(r => r.resp === "person").length;
    progress.textContent = `${confirmed.toLocaleString("en")} of ${rows.length.toLocaleString("en")} links confirmed · ${qa} · version ${version}`;
    markFocus();
  }

  function markFocus() {
    const current = grid.querySelector(`[data-n="${focus}"]`);
    grid.querySelectorAll(".row.focus").forEach(r => { r.classList.remove("focus"); r.tabIndex = -1; r.removeAttribute("aria-selected"); });
    if (!current) return;
    current.classList.add("focus"); current.tabIndex = 0; current.setAttribute("aria-selected", "true");
    if (!form.hidden && form.contains(document.activeElement)) return;
    current.focus({ preventScroll: true }); current.scrollIntoView({ block: "nearest" });
  }

  function setFocus(n) {
    focus = Math.max(0, Math.min(n, rows.length - 1));
    if (focus < start + 5 && start > 0 || focus >= start + WINDOW - 5 && start + WINDOW < rows.length || !grid.querySelector(`[data-n="${focus}"]`)) render(); else markFocus();
  }

  async function load(message) {
    const response = await fetch(`/api/rows/${encodeURIComponent(data.doc_id)}?pair=${encodeURIComponent(pair.join(","))}`);
    const body = await response.json();
    if (!response.ok) { say(body.error, "error"); return; }
    rows = body.rows; version = body.version; low = body.low;
    focus = Math.min(focus, Math.max(rows.length - 1, 0));
    qa = body.findings_ready ? "QA checked" : "QA checks running…";
    render(); say(message || `Loaded ${rows.length.toLocaleString("en")} links of ${pair.map(tagOf).join(" ↔ ")}.`);
    if (!body.findings_ready) pollFindings(pair.join(","));
  }

  /* The server checks the whole document in the background; its findings join the rows when ready. */
  async function pollFindings(asked) {
    while (asked === pair.join(",")) {
      const response = await fetch(`/api/findings/${encodeURIComponent(data.doc_id)}?pair=${encodeURIComponent(asked)}`);
      const body = await response.json();
      if (body.ready && body.version === version && asked === pair.join(",")) {
        body.rows.forEach(([n, found]) => { if (rows[n]) rows[n].findings = found; });
        qa = `QA: ${body.rows.length.toLocaleString("en")} links with findings`;
        render();  // the status line keeps the last edit's result; the progress line tells of QA
        return;
      }
      await new Promise(resolve => setTimeout(resolve, body.ready ? 100 : 1000));  // ready for another version: ask again
    }
  }

  function request(op) {
    const row = rows[focus] || {};
    const base = { op, n: focus };
    switch (op) {
      case "merge-up": return { op: "merge", n: focus, direction: "up" };
      case "split": { const [i, j] = (document.getElementById("ui:split-at").value || "1:1").split(":").map(Number); return { op, n: focus, at: [i, j === undefined ? i : j] }; }
      case "shift-up": return { op: "shift", n: focus, direction: "up", side: "tgt" };
      case "shift-down": return { op: "shift", n: focus, direction: "down", side: "tgt" };
      case "shift-src-up": return { op: "shift", n: focus, direction: "up", side: "src" };
      case "shift-src-down": return { op: "shift", n: focus, direction: "down", side: "src" };
      case "detach": return { op, n: focus, side: "tgt" };
      case "detach-src": return { op: "detach", n: focus, side: "src" };
      case "attach-up": return { op: "attach", n: focus, direction: "up" };
      case "confirm": return { op: row.resp === "person" ? "unconfirm" : "confirm", n: focus };
      default: return base;
    }
  }

  async function send(body) {
    if (busy) return; busy = true;
    try {
      const response = await fetch(`/api/edit/${encodeURIComponent(data.doc_id)}`, {
        method: "POST", headers: { "content-type": "application/json", "x-aligner-token": token },
        body: JSON.stringify({ ...body, pair: pair.join(","), version }),
      });
      const answer = await response.json();
      if (response.status === 409) { stale(answer.error); return; }
      if (!response.ok) { say(answer.error, "error"); return; }
      rows.splice(answer.start, answer.removed, ...answer.rows);
      version = answer.version;
      focus = Math.min(answer.rows.length ? answer.start : focus, rows.length - 1);
      render(); say(`${answer.done}.`, "done");
    } finally { busy = false; }
  }

  function stale(message) {
    say(message + " ", "error");
    const again = el("button", "", "Reload the document"); again.type = "button"; again.id = "ui:reload";
    again.addEventListener("click", () => load("Reloaded: the latest version is shown."));
    status.append(again); again.focus();
  }

  function jump(test) {
    for (let k = 1; k <= rows.length; k++) { const n = (focus + k) % rows.length; if (test(rows[n])) { setFocus(n); say(`Link ${n}.`); return; } }
    say("No such link.");
  }

  function openSentenceTools() {
    const row = rows[focus]; if (!row) return;
    const select = document.getElementById("ui:sid");
    select.replaceChildren(...[...row.src, ...row.tgt].map(([id, text]) => { const o = el("option", "", `${id}: ${text.slice(0, 40)}`); o.value = id; return o; }));
    const fill = () => { const all = [...row.src, ...row.tgt]; const hit = all.find(([id]) => id === select.value); document.getElementById("ui:text").value = hit ? hit[1] : ""; };
    select.onchange = fill; fill(); form.hidden = false; select.focus();
  }

  form.addEventListener("click", event => {
    const op = event.target.dataset && event.target.dataset.sop;
    if (event.target.id === "ui:sentence-close") { form.hidden = true; markFocus(); return; }
    if (!op) return;
    send({ op, sid: document.getElementById("ui:sid").value, offset: Number(document.getElementById("ui:offset").value), text: document.getElementById("ui:text").value })
      .then(() => { form.hidden = true; markFocus(); });
  });

  const ops = Object.fromEntries(data.keys.filter(([, , op]) => op).map(([key, , op]) => [key, op]));
  document.addEventListener("keydown", event => {
    if (event.target.closest && event.target.closest("input, textarea, select, form") || event.ctrlKey || event.metaKey || event.altKey) {
      if (event.key === "Escape" && !form.hidden) { form.hidden = true; markFocus(); }
      return;
    }
    const key = event.key;
    const moves = { j: 1, ArrowDown: 1, k: -1, ArrowUp: -1 };
    if (key in moves) { setFocus(focus + moves[key]); event.preventDefault(); return; }
    if (key === "n") jump(r => r.resp !== "person");
    else if (key === "l") jump(r => r.resp !== "person" && r.confidence < low);
    else if (key === "f") jump(r => r.findings.length > 0);
    else if (key === "t") { openSentenceTools(); event.preventDefault(); }
    else if (key in ops) send(request(ops[key]));
    else return;
    event.preventDefault();
  });
  document.querySelectorAll("button[data-op]").forEach(b => b.addEventListener("click", () => { send(request(b.dataset.op)); }));
  pairSelect.addEventListener("change", () => { pair = pairSelect.value.split(","); focus = 0; load(); });
  load();
})();
