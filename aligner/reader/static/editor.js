/* The alignment editor: rows from /api/rows, edits to /api/edit, keys first. Text goes in with
   textContent only, so a sentence holding HTML is shown as text. Only a window of rows around the
   focused one is in the page, so a 30,000-row document stays quick. Edits are made one at a time
   in the order asked: one asked while another is on its way waits its turn, then acts on the row
   that holds the sentence its row held when it was asked. The page asks every few seconds whether
   the document changed elsewhere, and says so. */
"use strict";
(() => {
  const data = JSON.parse(document.getElementById("ui:data").textContent);
  let token = document.querySelector('meta[name="aligner-token"]').content;
  const $ = id => document.getElementById(id);
  const grid = $("ui:grid"), status = $("ui:status"), progress = $("ui:progress"), pairSelect = $("ui:pair");
  const form = $("ui:sentence"), sidSelect = $("ui:sid"), textBox = $("ui:text"), offset = $("ui:offset"), note = $("ui:sentence-note");
  const WINDOW = 120, BEFORE = 40, WATCH = 4000, SLOW = 400;  // rows in the page, of them before the focused one; ms between version checks; ms before "working"
  let rows = [], version = "", pair = data.pair, low = 0.5, focus = 0, start = 0, busy = false, qa = "", moves = 0, loads = 0, noticed = "";
  const queue = [];  // edits asked while one is on its way: {make, anchor, moves, resolve}

  const tagOf = (lang) => data.tags[lang] || lang;  // the version's full tag: zh-Hant-TW
  const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
  const say = (text, kind) => { status.textContent = text; status.className = "status " + (kind || ""); };
  const api = (what, query) => `/api/${what}/${encodeURIComponent(data.doc_id)}${query || ""}`;

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

  /* `how` the focused row is marked: "take": the person moved, so it takes the keyboard focus;
     "show": scrolled into view; else it takes the focus only when the focus is not in use
     elsewhere (the sentence tools, a field, the Reload button), and is then scrolled to. */
  function render(how) {
    start = Math.max(0, Math.min(focus - BEFORE, rows.length - WINDOW));
    const end = Math.min(rows.length, start + WINDOW);
    grid.replaceChildren(...rows.slice(start, end).map((row, k) => rowElement(row, start + k)));
    grid.setAttribute("aria-rowcount", String(rows.length));
    const confirmed = rows.filter(r => r.resp === "person").length;
    progress.textContent = `${confirmed.toLocaleString("en")} of ${rows.length.toLocaleString("en")} links confirmed · ${qa} · version ${version}`;
    markFocus(how);
  }

  function markFocus(how) {
    const current = grid.querySelector(`[data-n="${focus}"]`);
    grid.querySelectorAll(".row.focus").forEach(r => { r.classList.remove("focus"); r.tabIndex = -1; r.removeAttribute("aria-selected"); });
    if (!current) return;
    current.classList.add("focus"); current.tabIndex = 0; current.setAttribute("aria-selected", "true");
    const here = document.activeElement;
    const free = !here || !(form.contains(here) || status.contains(here) || here.matches("input, select, textarea"));
    if (how === "take" || free) current.focus({ preventScroll: true });
    if (how || free) current.scrollIntoView({ block: "nearest" });
  }

  function setFocus(n) {
    moves++;
    focus = Math.max(0, Math.min(n, rows.length - 1));
    if (focus < start + 5 && start > 0 || focus >= start + WINDOW - 5 && start + WINDOW < rows.length || !grid.querySelector(`[data-n="${focus}"]`)) render("take"); else markFocus("take");
  }

  /* The sentences of `lang` in a row of the pair shown ([] when the pair has no such version). */
  const sentencesOf = (row, lang) => pair[0] === lang ? row.src : pair[1] === lang ? row.tgt : [];
  const anchor = n => { const row = rows[n]; return row ? (row.src[0] || row.tgt[0])[0] : ""; };  // a sentence the row holds
  const holding = id => rows.findIndex(r => r.src.some(([x]) => x === id) || r.tgt.some(([x]) => x === id));

  /* A sentence of `lang` in the focused row, else in the nearest row that has one ("": none). */
  function near(lang) {
    for (let k = 0; k < rows.length; k++) {
      for (const n of [focus + k, focus - k]) { const hit = rows[n] && sentencesOf(rows[n], lang)[0]; if (hit) return hit[0]; }
    }
    return "";
  }

  /* The rows of the pair; `keep`: a sentence whose row takes the focus. Only the last load asked for is shown. */
  async function load(message, keep) {
    const mine = ++loads;
    let response, body;
    try {
      response = await fetch(api("rows", `?pair=${encodeURIComponent(pair.join(","))}`));
      body = await response.json();
    } catch (err) { fail(`The server did not answer (${err.message}). Start aligner serve --edit again, then reload.`, true); return; }
    if (mine !== loads) return;
    if (!response.ok) { say(body.error, "error"); return; }
    rows = body.rows; version = body.version; low = body.low; noticed = "";
    const kept = keep ? holding(keep) : -1;
    focus = kept >= 0 ? kept : Math.min(focus, Math.max(rows.length - 1, 0));
    qa = body.findings_ready ? "QA checked" : "QA checks running…";
    render("show"); say(message || `Loaded ${rows.length.toLocaleString("en")} links of ${pair.map(tagOf).join(" ↔ ")}.`);
    if (!body.findings_ready) pollFindings(pair.join(","));
  }

  /* The server checks the whole document in the background; its findings join the rows when ready. */
  async function pollFindings(asked) {
    while (asked === pair.join(",")) {
      let body;
      try { body = await (await fetch(api("findings", `?pair=${encodeURIComponent(asked)}`))).json(); } catch { return; }  // the version check says the server is gone
      if (body.ready && body.version === version && asked === pair.join(",")) {
        body.rows.forEach(([n, found]) => { if (rows[n]) rows[n].findings = found; });
        qa = `QA: ${body.rows.length.toLocaleString("en")} links with findings`;
        render();  // the status line keeps the last edit's result; the progress line tells of QA
        return;
      }
      await new Promise(resolve => setTimeout(resolve, body.ready ? 100 : 1000));  // ready for another version: ask again
    }
  }

  /* What key `op` sends, as a function of the row it acts on when its turn comes ("c" confirms or
     unconfirms that row as it is then); "Split at" is read when the key is pressed. */
  function request(op) {
    const [i, j] = ($("ui:split-at").value || "1:1").split(":").map(Number);
    return n => {
      switch (op) {
        case "merge-up": return { op: "merge", n, direction: "up" };
        case "split": return { op, n, at: [i, j === undefined ? i : j] };
        case "shift-up": return { op: "shift", n, direction: "up", side: "tgt" };
        case "shift-down": return { op: "shift", n, direction: "down", side: "tgt" };
        case "shift-src-up": return { op: "shift", n, direction: "up", side: "src" };
        case "shift-src-down": return { op: "shift", n, direction: "down", side: "src" };
        case "detach": return { op, n, side: "tgt" };
        case "detach-src": return { op: "detach", n, side: "src" };
        case "attach-up": return { op: "attach", n, direction: "up" };
        case "confirm": return { op: (rows[n] || {}).resp === "person" ? "unconfirm" : "confirm", n };
        default: return { op, n };
      }
    };
  }

  /* Ask for an edit: `make` gives its body for the row it acts on (`n`: the row it is asked on;
     undefined: none). Resolves to {ok} or {message} once it is made or refused. */
  function send(make, n) {
    return new Promise(resolve => {
      queue.push({ make, anchor: n === undefined ? "" : anchor(n), moves, resolve });
      if (busy) working(); else drain();
    });
  }

  const working = () => say(`Busy: making an edit…${queue.length ? ` ${queue.length} more waiting their turn.` : ""}`, "busy");

  async function drain() {
    busy = true;
    try {
      while (queue.length) await next();
    } finally { busy = false; }
  }

  /* The next edit asked; when it fails, those asked after it are not made (they were asked on
     what it would have made). */
  async function next() {
    const asked = queue.shift();
    const n = asked.anchor ? holding(asked.anchor) : focus;
    const slow = setTimeout(working, SLOW);
    const result = n < 0 ? { message: "The row this edit was asked on is gone: the edit was not made." } : await post(asked.make(n), asked);
    clearTimeout(slow);
    if (!result.ok) {
      const dropped = queue.splice(0);
      dropped.forEach(d => d.resolve({ message: result.message }));
      fail(result.message + (dropped.length ? ` The ${dropped.length} edit${dropped.length > 1 ? "s" : ""} asked after it ${dropped.length > 1 ? "were" : "was"} not made.` : ""), result.reload, true);
    }
    asked.resolve(result);
  }

  /* One edit to the server; the answer's rows replace those it changed. The focus goes to the
     first of them, unless the person moved since asking: then it stays on the row they chose. */
  async function post(body, asked) {
    const shown = pair.join(",");
    let response, answer;
    try {
      response = await fetch(api("edit"), {
        method: "POST", headers: { "content-type": "application/json", "x-aligner-token": token },
        body: JSON.stringify({ ...body, pair: shown, version }),
      });
      answer = await response.json().catch(() => ({ error: `The server answered ${response.status} ${response.statusText}.` }));
    } catch (err) {
      return { message: `The server did not answer (${err.message}): the edit was not made. Start aligner serve --edit again, then reload.`, reload: true };
    }
    if (!response.ok) return { message: answer.error, reload: response.status === 409 || response.status === 403 };
    version = answer.version;
    if (shown !== pair.join(",")) { load(`${answer.done}.`); return { ok: true }; }  // another pair is shown now
    const keep = asked.moves !== moves ? anchor(focus) : "";
    rows.splice(answer.start, answer.removed, ...answer.rows);
    const kept = keep ? holding(keep) : -1;
    focus = kept >= 0 ? kept : Math.min(answer.rows.length ? answer.start : focus, rows.length - 1);
    render(); say(`${answer.done}.${queue.length ? ` ${queue.length} more waiting their turn.` : ""}`, answer.changed ? "done" : "");
    return { ok: true };
  }

  /* An error in the status line; `reload`: with a button that reloads the document (and the
     page's token: a restarted server has a new one), given the focus when `take`. */
  function fail(message, reload, take) {
    say(message + " ", "error");
    if (!reload) return;
    const again = el("button", "", "Reload the document"); again.type = "button"; again.id = "ui:reload";
    again.addEventListener("click", reloadAll);
    status.append(again);
    if (take) again.focus();
  }

  async function reloadAll() {
    try {
      const page = new DOMParser().parseFromString(await (await fetch(location.pathname)).text(), "text/html");
      token = page.querySelector('meta[name="aligner-token"]').content;
    } catch (err) { fail(`The server did not answer (${err.message}). Start aligner serve --edit again, then reload.`, true, true); return; }
    await load("Reloaded: the latest version is shown.", anchor(focus));
  }

  /* Whether the document changed elsewhere (another tab, `aligner edit`, a build), or the server
     is gone: say so once, with the Reload button, leaving the focus where it is. */
  async function watch() {
    if (busy || document.hidden || !version) return;
    const asked = version;
    let body;
    try { body = await (await fetch(api("version"))).json(); } catch (err) { body = { error: `The server does not answer (${err.message}). Start aligner serve --edit again, then reload.` }; }
    const seen = body.version || body.error;
    if (busy || asked !== version || body.version === version || noticed === seen) return;
    noticed = seen;
    fail(body.version ? "This document changed elsewhere (another tab, aligner edit or a build) since it was loaded." : body.error, true, false);
  }

  function jump(test) {
    for (let k = 1; k <= rows.length; k++) { const n = (focus + k) % rows.length; if (test(rows[n])) { setFocus(n); say(`Link ${n}.`); return; } }
    say("No such link.");
  }

  /* The sentence tools: a sentence of the focused row, its text to correct, and a split at the
     text cursor (counted in characters as the server counts them: 𠮷 is one, not two UTF-16 units). */
  function sentenceText(id) {
    for (const r of rows) { const hit = r.src.find(([x]) => x === id) || r.tgt.find(([x]) => x === id); if (hit) return hit[1]; }
    return "";
  }
  const changed = () => !form.hidden && textBox.value !== sentenceText(textBox.dataset.sid);
  const discardOk = () => !changed() || confirm("Discard the text you changed in the sentence tools?");

  function fill() {
    textBox.dataset.sid = sidSelect.value; textBox.value = sentenceText(sidSelect.value); offset.value = ""; note.textContent = "";
  }

  function openSentenceTools() {
    const row = rows[focus]; if (!row || !discardOk()) return;
    sidSelect.replaceChildren(...[...row.src, ...row.tgt].map(([id, text]) => { const o = el("option", "", `${id}: ${[...text].slice(0, 40).join("")}`); o.value = id; return o; }));
    fill(); form.hidden = false; sidSelect.focus();
  }

  function closeSentenceTools() {
    if (!discardOk()) return;
    form.hidden = true; note.textContent = ""; markFocus("take");
  }

  async function sentenceAction(op) {
    const sid = sidSelect.value, text = textBox.value;
    if (op === "split-sentence" && changed()) { note.textContent = "The text was changed: save it first, then split (the cut is made in the saved text)."; return; }
    if (op === "split-sentence" && !offset.value) { note.textContent = "Put the text cursor where the sentence should be cut, or give the character to split before."; return; }
    note.textContent = "";
    const result = await send(() => ({ op, sid, offset: Number(offset.value), text }));
    if (result.ok) { form.hidden = true; markFocus("take"); } else note.textContent = result.message;
  }

  sidSelect.addEventListener("change", () => { if (discardOk()) fill(); else sidSelect.value = textBox.dataset.sid; });
  document.addEventListener("selectionchange", () => {
    if (document.activeElement === textBox) offset.value = String([...textBox.value.slice(0, textBox.selectionStart)].length || "");
  });
  form.addEventListener("submit", event => { event.preventDefault(); sentenceAction("split-sentence"); });  // Enter in "Split before character"
  form.addEventListener("click", event => {
    if (event.target.id === "ui:sentence-close") closeSentenceTools();
    else if (event.target.dataset && event.target.dataset.sop) sentenceAction(event.target.dataset.sop);
  });

  const local = {
    "next-unconfirmed": () => jump(r => r.resp !== "person"),
    "next-low": () => jump(r => r.resp !== "person" && r.confidence < low),
    "next-flagged": () => jump(r => r.findings.length > 0),
    "sentence-tools": openSentenceTools,
  };
  const act = action => { if (action in local) local[action](); else send(request(action), focus); };
  const screen = () => Math.max(1, Math.floor(innerHeight / ((grid.querySelector(".row.focus") || {}).offsetHeight || 40)) - 1);
  const ops = Object.fromEntries(data.keys.filter(([, , op]) => op).map(([key, , op]) => [key, op]));
  document.addEventListener("keydown", event => {
    if (event.isComposing) return;  // an input method is composing (its keys, "Process" too, are not ours): Escape cancels it
    if (event.target.closest && event.target.closest("input, textarea, select, form") || event.ctrlKey || event.metaKey || event.altKey) {
      if (event.key === "Escape" && !form.hidden && form.contains(event.target)) closeSentenceTools();
      return;
    }
    const key = event.key;
    const steps = { j: 1, ArrowDown: 1, k: -1, ArrowUp: -1, PageDown: screen(), PageUp: -screen(), Home: -rows.length, End: rows.length };
    if (key in steps) setFocus(focus + steps[key]);
    else if (key in ops) act(ops[key]);
    else return;
    event.preventDefault();
  });
  document.querySelectorAll("button[data-op]").forEach(b => b.addEventListener("click", () => act(b.dataset.op)));
  $("ui:goto").addEventListener("submit", event => {
    event.preventDefault();
    const n = Number($("ui:goto-n").value);
    if (Number.isInteger(n) && n >= 0 && n < rows.length) { setFocus(n); say(`Link ${n}.`); } else say(`Give a link number from 0 to ${rows.length - 1}.`, "error");
  });
  pairSelect.addEventListener("change", () => {
    const chosen = pairSelect.value.split(",");
    const keep = chosen.map(near).find(Boolean);  // a sentence of a version both pairs show: its row keeps the focus
    pair = chosen; queue.splice(0).forEach(d => d.resolve({ message: "The pair was changed: the edit was not made." }));
    load(undefined, keep);
  });
  setInterval(watch, WATCH);
  document.addEventListener("visibilitychange", watch);
  addEventListener("focus", watch);
  load();
})();
