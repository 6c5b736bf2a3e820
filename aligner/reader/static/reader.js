/* The aligner reader: highlight linked sentences, pin one (its id goes in the URL fragment),
   move link by link with the keyboard, filter what needs review, choose and order versions,
   switch between columns and interleaved reading. Plain DOM, no framework, no network. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("ui:data").textContent);
  var rows = document.getElementById("ui:rows");
  var body = document.body;
  var style = document.createElement("style");
  document.head.appendChild(style);
  var PREFIX = "aligner.reader.";

  function recall(name, fallback) {
    try {
      var value = window.localStorage.getItem(PREFIX + name);
      return value === null ? fallback : JSON.parse(value);
    } catch (e) { return fallback; }
  }
  function remember(name, value) {
    try { window.localStorage.setItem(PREFIX + name, JSON.stringify(value)); } catch (e) { /* storage off */ }
  }
  function known(list) {
    return (Array.isArray(list) ? list : []).filter(function (l) { return data.langs.indexOf(l) >= 0; });
  }

  /* Versions: which are shown and in what order; remembered across documents. */
  var order = known(recall("order", []));
  data.langs.forEach(function (l) { if (order.indexOf(l) < 0) { order.push(l); } });
  var hidden = known(recall("hidden", []));
  function shown() {
    return order.filter(function (l) { return hidden.indexOf(l) < 0; });
  }
  function applyVersions() {
    if (!shown().length) { hidden = []; }
    var visible = shown();
    var css = [".row{--cols:" + visible.length + "}"];
    order.forEach(function (l, i) {
      var sel = ".c-" + CSS.escape(l);
      css.push(hidden.indexOf(l) >= 0 ? sel + "{display:none}" : sel + "{order:" + (i + 1) + "}");
    });
    css.push("body.interleaved .cell:not(.c-" + CSS.escape(visible[0]) + "){padding-left:1.25rem}");
    style.textContent = css.join("\n");
    var box = document.getElementById("ui:versions");
    order.forEach(function (l) {
      var item = box.querySelector('.version[data-lang="' + CSS.escape(l) + '"]');
      item.querySelector("input").checked = hidden.indexOf(l) < 0;
      box.appendChild(item);
    });
    remember("order", order);
    remember("hidden", hidden);
  }
  document.getElementById("ui:versions").addEventListener("change", function (e) {
    var l = e.target.value;
    hidden = hidden.filter(function (h) { return h !== l; });
    if (!e.target.checked) { hidden.push(l); }
    applyVersions();
  });
  document.getElementById("ui:versions").addEventListener("click", function (e) {
    var button = e.target.closest("button.move");
    if (!button) { return; }
    var l = button.parentNode.getAttribute("data-lang");
    var i = order.indexOf(l);
    var j = i + Number(button.getAttribute("data-step"));
    if (j < 0 || j >= order.length) { return; }
    order[i] = order[j];
    order[j] = l;
    applyVersions();
    button.focus();
  });

  /* Layout: columns or interleaved; remembered. */
  function applyLayout(mode) {
    body.classList.toggle("interleaved", mode === "interleaved");
    body.classList.toggle("columns", mode !== "interleaved");
    document.querySelector('input[name="layout"][value="' + mode + '"]').checked = true;
    remember("layout", mode);
  }
  document.getElementById("ui:layout").addEventListener("change", function (e) { applyLayout(e.target.value); });

  /* Highlight: the row of the sentence under the pointer or with focus. */
  var lit = null, pinned = null, current = null;
  function rowOf(node) { return node && node.closest ? node.closest("li.row") : null; }
  function light(row) {
    if (lit === row) { return; }
    if (lit) { lit.classList.remove("hl"); }
    lit = row;
    if (row) { row.classList.add("hl"); }
  }
  rows.addEventListener("mouseover", function (e) {
    var s = e.target.closest(".s");
    light(s ? rowOf(s) : null);
  });
  rows.addEventListener("mouseleave", function () { light(null); });
  rows.addEventListener("focusin", function (e) {
    if (e.target.classList.contains("s")) { light(rowOf(e.target)); }
  });

  /* Pin: a clicked (or keyed-to) sentence stays marked and its id goes in the URL fragment. */
  function pin(s, scroll) {
    if (pinned) { pinned.classList.remove("pin"); }
    if (current) { current.classList.remove("cur"); current.tabIndex = -1; }
    current = s;
    pinned = s ? rowOf(s) : null;
    if (!s) {
      history.replaceState(null, "", location.pathname + location.search);
      var top = rows.querySelector(".s");
      if (top) { top.tabIndex = 0; }
      return;
    }
    pinned.classList.add("pin");
    s.classList.add("cur");
    s.tabIndex = 0;
    s.focus({ preventScroll: true });
    if (scroll) { s.scrollIntoView({ block: "center" }); }
    history.replaceState(null, "", "#" + encodeURIComponent(s.id));
  }
  rows.addEventListener("click", function (e) {
    var s = e.target.closest(".s");
    if (s) { pin(s, false); }
  });
  function fromFragment() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id) { renderUntil(id); }
    var s = id ? document.getElementById(id) : null;
    if (s && s.classList.contains("s")) { pin(s, true); }
  }
  window.addEventListener("hashchange", fromFragment);

  /* Rows past the first thousand arrive as JSON and are rendered as the reader scrolls or jumps;
     buildRow makes the same markup as the page generator's render_row. */
  var restEl = document.getElementById("ui:rest");
  var rest = restEl ? JSON.parse(restEl.textContent) : [];
  var made = 0;
  var more = document.getElementById("ui:more");
  function add(parent, tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.setAttribute("class", cls); }
    if (text !== undefined) { node.textContent = text; }
    parent.appendChild(node);
    return node;
  }
  function buildRow(r) {
    var li = document.createElement("li");
    li.setAttribute("class", r[1]);
    li.setAttribute("data-n", String(r[0]));
    var gut = add(li, "span", "gut", String(r[0]));
    if (r[2]) { add(gut, "span", "flag", r[2]); }
    r[3].forEach(function (cell, i) {
      var lang = data.langs[i];
      var box = add(li, cell[0], "cell c-" + lang);
      box.setAttribute("lang", (data.tags || {})[lang] || lang);
      cell[1].forEach(function (s, k) {
        var span = add(box, "span", "s", s[1]);
        span.setAttribute("id", s[0]);
        span.setAttribute("tabindex", "-1");
        if (k < cell[1].length - 1 && data.joiners[lang]) { box.appendChild(document.createTextNode(data.joiners[lang])); }
      });
      if (!cell[1].length) { add(box, "span", "none", "not in this version").setAttribute("lang", "en"); }
    });
    return li;
  }
  function renderMore(count) {
    var batch = document.createDocumentFragment();
    var end = Math.min(rest.length, made + count);
    for (; made < end; made++) { batch.appendChild(buildRow(rest[made])); }
    rows.appendChild(batch);
    if (more && made >= rest.length) { more.remove(); more = null; }
  }
  function renderUntil(id) {
    while (!document.getElementById(id) && made < rest.length) { renderMore(2000); }
  }
  function fillView() {
    while (more && more.getBoundingClientRect().top < window.innerHeight * 3) { renderMore(300); }
  }
  if (more) {
    window.addEventListener("scroll", function () { window.requestAnimationFrame(fillView); }, { passive: true });
    window.addEventListener("resize", fillView);
  }
  function after(row, dir) {
    if (dir < 0) { return row.previousElementSibling; }
    if (!row.nextElementSibling && made < rest.length) { renderMore(500); }
    return row.nextElementSibling;
  }

  /* Moving link by link, and to the next row that needs review. */
  var reviewOnly = document.getElementById("ui:review-only");
  function lead(row) {
    var langs = shown();
    for (var i = 0; i < langs.length; i++) {
      var s = row.querySelector(".c-" + CSS.escape(langs[i]) + " .s");
      if (s) { return s; }
    }
    return null;
  }
  function move(dir, onlyReview) {
    var row = pinned ? (dir > 0 ? pinned.nextElementSibling : pinned.previousElementSibling)
      : (dir > 0 ? rows.firstElementChild : rows.lastElementChild);
    var needReview = onlyReview || reviewOnly.checked;
    for (; row; row = after(row, dir)) {
      if (needReview && !row.classList.contains("review")) { continue; }
      var s = lead(row);
      if (s) { pin(s, true); return; }
    }
  }
  document.getElementById("ui:next").addEventListener("click", function () { move(1, true); });
  document.getElementById("ui:prev").addEventListener("click", function () { move(-1, true); });
  reviewOnly.addEventListener("change", function () {
    body.classList.toggle("review-only", reviewOnly.checked);
    fillView();
    if (pinned) { pinned.scrollIntoView({ block: "center" }); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.target.closest("input, select, textarea")) { return; }
    var inText = rows.contains(e.target);
    var key = e.key;
    if (key === "j" || (inText && key === "ArrowDown")) { move(1, false); }
    else if (key === "k" || (inText && key === "ArrowUp")) { move(-1, false); }
    else if (key === "n") { move(1, true); }
    else if (key === "p") { move(-1, true); }
    else if (key === "Escape" && pinned) { pin(null, false); }
    else { return; }
    e.preventDefault();
  });

  applyVersions();
  applyLayout(recall("layout", "columns") === "interleaved" ? "interleaved" : "columns");
  var first = rows.querySelector(".s");
  if (first) { first.tabIndex = 0; }
  fromFragment();
  fillView();
})();
