/* The review page's behaviour (extractor/io/review.py builds the page; no library, no network).
   Ids: a document is "d1"; a fact's first highlight has the id "d1-i3" and any further piece of it
   data-f="d1-i3"; everything belonging to one document carries data-doc="d1". The facts table is
   drawn from the JSON in #facts-data, only the rows on screen, so a long report stays quick. */
(function () {
  "use strict";
  var TYPES = ["indicator", "task", "heading"];
  var OVERSCAN = 20; // rows drawn above and below the visible ones
  var body = document.body;
  var tip = document.getElementById("tip");
  var search = document.getElementById("q");
  var shown = document.getElementById("shown");
  var textPane = document.getElementById("text");
  var tablePane = document.querySelector(".table-pane");
  var data = JSON.parse(document.getElementById("facts-data").textContent);
  if (!Object.keys(data.docs).length) return; // a page without documents has nothing to drive
  var columns = data.columns;
  var collator = new Intl.Collator("zh-CN", { numeric: true });
  var tables = {};      // document key -> Table
  var current = null;   // the Table of the document shown
  var selected = null;  // the selected fact's id, "d1-i3"

  function all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function docKey(fid) { return fid.split("-")[0]; }
  function fidOf(mark) { return mark.id || mark.getAttribute("data-f"); }
  function piecesOf(fid) {
    var first = document.getElementById(fid);
    return (first ? [first] : []).concat(all('mark[data-f="' + fid + '"]'));
  }

  // ---- the facts table of one document ----
  // A data row is [id, type, label, cell…]; `order` is every row in the sort order, `view` the
  // rows that pass the type filter and the search, in that order.
  function Table(key, rows) {
    this.key = key;
    this.rows = rows;
    this.el = document.querySelector('table.facts[data-doc="' + key + '"]');
    this.body = this.el.tBodies[0];
    this.index = new Map();
    for (var i = 0; i < rows.length; i++) this.index.set(key + "-" + rows[i][0], i);
    this.order = rows.map(function (_, i) { return i; });
    this.view = this.order;
    this.haystacks = [];
    this.rowHeight = 0;
    this.drawn = null;
  }

  Table.prototype.fid = function (i) { return this.key + "-" + this.rows[i][0]; };
  Table.prototype.label = function (fid) {
    var i = this.index.get(fid);
    return i === undefined ? "" : this.rows[i][2];
  };

  Table.prototype.makeRow = function (i) {
    var r = this.rows[i], fid = this.fid(i);
    var tr = document.createElement("tr");
    tr.className = r[1] + (fid === selected ? " sel" : "");
    tr.setAttribute("data-f", fid);
    tr.tabIndex = 0;
    tr.title = r[2];
    columns.forEach(function (c, k) {
      var td = tr.insertCell(), v = r[3 + k];
      if (c.name === "section") {
        td.textContent = v.split(" > ").pop();
        if (v.indexOf(" > ") >= 0) td.title = v;
      } else {
        td.textContent = v;
      }
      if (c.sort === "num") td.className = "num";
      else if (c.sort === "order") td.className = "id";
    });
    return tr;
  };

  function spacer(height) {
    var tr = document.createElement("tr");
    tr.className = "spacer";
    tr.setAttribute("aria-hidden", "true");
    var td = tr.insertCell();
    td.colSpan = columns.length;
    td.style.height = height + "px";
    return tr;
  }

  // Draw the rows in and near the visible part of the pane (all of them for print).
  Table.prototype.draw = function (everything) {
    var h = this.rowHeight || 30, n = this.view.length;
    var top = Math.max(0, tablePane.scrollTop - this.el.tHead.offsetHeight);
    var first = everything ? 0 : Math.min(n, Math.max(0, Math.floor(top / h) - OVERSCAN));
    var last = everything ? n : Math.min(n, Math.ceil((top + tablePane.clientHeight) / h) + OVERSCAN);
    var key = first + ":" + last + ":" + n;
    if (this.drawn === key) return;
    this.drawn = key;
    var focused = document.activeElement && document.activeElement.closest && document.activeElement.closest("tr[data-f]");
    var focusedFid = focused && this.body.contains(focused) ? focused.getAttribute("data-f") : null;
    var frag = document.createDocumentFragment();
    if (first > 0) frag.appendChild(spacer(first * h));
    for (var k = first; k < last; k++) frag.appendChild(this.makeRow(this.view[k]));
    if (last < n) frag.appendChild(spacer((n - last) * h));
    this.body.replaceChildren(frag);
    if (focusedFid) {
      var again = this.rowOf(focusedFid);
      if (again) again.focus({ preventScroll: true });
    }
    if (!this.rowHeight && last > first) { // measure a row once, then draw again to the right size
      this.rowHeight = this.body.querySelector("tr[data-f]").getBoundingClientRect().height || 30;
      this.drawn = null;
      this.draw(everything);
    }
  };

  Table.prototype.rowOf = function (fid) { return this.body.querySelector('tr[data-f="' + fid + '"]'); };

  Table.prototype.haystack = function (i) {
    var s = this.haystacks[i];
    if (s === undefined) {
      var first = document.getElementById(this.fid(i));
      s = this.haystacks[i] = (this.rows[i].join(" ") + " " + (first ? first.textContent : "")).toLowerCase();
    }
    return s;
  };

  // Apply the type filter and the search box.
  Table.prototype.refresh = function () {
    var q = search.value.trim().toLowerCase(), rows = this.rows, self = this, hidden = {};
    TYPES.forEach(function (t) { hidden[t] = body.classList.contains("hide-" + t); });
    this.view = this.order.filter(function (i) {
      return !hidden[rows[i][1]] && (q === "" || self.haystack(i).indexOf(q) >= 0);
    });
    this.drawn = null;
    this.draw();
    shown.textContent = this.view.length + " of " + rows.length + " rows";
  };

  // Sort by a column: again on the same column reverses; empty cells last, ties in reading order.
  Table.prototype.sortBy = function (col) {
    var th = this.el.tHead.rows[0].cells[col];
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    var kind = columns[col].sort, rows = this.rows, keys;
    if (kind === "order") {
      keys = rows.map(function (_, i) { return i; });
    } else if (kind === "num") {
      keys = rows.map(function (r) { return parseFloat(r[3 + col]); });
    } else { // rank the distinct texts once: far fewer comparisons by the collator
      var distinct = Array.from(new Set(rows.map(function (r) { return r[3 + col]; }))).sort(collator.compare);
      var rank = new Map(distinct.map(function (v, i) { return [v, v === "" ? NaN : i]; }));
      keys = rows.map(function (r) { return rank.get(r[3 + col]); });
    }
    this.order = rows.map(function (_, i) { return i; }).sort(function (a, b) {
      var ea = isNaN(keys[a]), eb = isNaN(keys[b]);
      if (ea || eb) return ea === eb ? a - b : (ea ? 1 : -1);
      return (keys[a] - keys[b]) * dir || a - b;
    });
    all("th", th.parentNode).forEach(function (h) { h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
    this.refresh();
  };

  // Scroll the pane so that a fact's row is in view (when the filters show it).
  Table.prototype.reveal = function (fid) {
    var at = this.view.indexOf(this.index.get(fid));
    if (at < 0) return null;
    var h = this.rowHeight || 30, head = this.el.tHead.offsetHeight;
    var top = head + at * h;
    if (top < tablePane.scrollTop + head || top + h > tablePane.scrollTop + tablePane.clientHeight) {
      tablePane.scrollTop = Math.max(0, top - tablePane.clientHeight / 2);
    }
    this.draw();
    return this.rowOf(fid);
  };

  // ---- documents ----
  function showDoc(key) {
    if (!tables[key] || (current && current.key === key)) return;
    all("[data-doc].current").forEach(function (el) { el.classList.remove("current"); });
    all('[data-doc="' + key + '"]').forEach(function (el) { el.classList.add("current"); });
    all("[data-doc-link]").forEach(function (a) {
      if (a.getAttribute("data-doc-link") === key) a.setAttribute("aria-current", "true");
      else a.removeAttribute("aria-current");
    });
    current = tables[key];
    TYPES.forEach(function (t) {
      var n = current.rows.filter(function (r) { return r[1] === t; }).length;
      document.querySelector('.legend input[data-type="' + t + '"] ~ .n').textContent = n;
    });
    textPane.scrollTop = 0;
    tablePane.scrollTop = 0;
    current.refresh();
  }

  // ---- selection: a row and its highlight ----
  function select(fid, revealRow) {
    if (selected) {
      all("tr.sel", tablePane).forEach(function (r) { r.classList.remove("sel"); });
      piecesOf(selected).forEach(function (m) { m.classList.remove("cur"); });
    }
    selected = fid;
    var row = revealRow ? current.reveal(fid) : current.rowOf(fid);
    if (row) row.classList.add("sel");
    piecesOf(fid).forEach(function (m) { m.classList.add("cur"); });
  }

  function flash(fid) {
    piecesOf(fid).forEach(function (m) {
      m.classList.remove("flash");
      void m.offsetWidth; // restart the animation
      m.classList.add("flash");
    });
  }

  function inView(el) {
    var r = el.getBoundingClientRect(), p = textPane.getBoundingClientRect();
    return r.top >= Math.max(p.top, 0) && r.bottom <= Math.min(p.bottom, window.innerHeight);
  }

  // Scroll the text to a fact's span, flash it and select its row.
  function goTo(fid, revealRow) {
    var mark = document.getElementById(fid);
    if (!mark) return;
    showDoc(docKey(fid));
    mark.scrollIntoView({ block: "center" });
    // blocks laid out on the way may have changed size: look again once the frame is drawn
    requestAnimationFrame(function () { if (!inView(mark)) mark.scrollIntoView({ block: "center" }); });
    flash(fid);
    select(fid, revealRow);
    if (history.replaceState) history.replaceState(null, "", "#" + fid);
  }

  // ---- the tooltip: a highlight's label on hover and on focus ----
  function showTip(mark) {
    var fid = fidOf(mark);
    tip.textContent = tables[docKey(fid)] ? tables[docKey(fid)].label(fid) : "";
    tip.hidden = false;
    var r = mark.getClientRects()[0] || mark.getBoundingClientRect();
    var left = Math.max(4, Math.min(r.left, window.innerWidth - tip.offsetWidth - 8));
    var top = r.bottom + 6;
    if (top + tip.offsetHeight > window.innerHeight - 4) top = r.top - tip.offsetHeight - 6;
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }

  function hideTip() { tip.hidden = true; }
  function focusedMark() { var a = document.activeElement; return a && a.matches && a.matches("mark.f") ? a : null; }

  textPane.addEventListener("mouseover", function (e) {
    var mark = e.target.closest("mark.f");
    if (mark) showTip(mark);
  });
  textPane.addEventListener("mouseout", function (e) {
    var to = e.relatedTarget && e.relatedTarget.closest && e.relatedTarget.closest("mark.f");
    if (to) showTip(to);
    else if (focusedMark()) showTip(focusedMark());
    else hideTip();
  });
  textPane.addEventListener("focusin", function (e) {
    if (!e.target.matches("mark.f")) return;
    e.target.setAttribute("aria-describedby", "tip");
    showTip(e.target);
  });
  textPane.addEventListener("focusout", hideTip);
  textPane.addEventListener("scroll", hideTip, { passive: true });

  // ---- a highlight leads to its row ----
  function activateMark(mark) {
    select(fidOf(mark), true);
    showTip(mark);
  }
  textPane.addEventListener("click", function (e) {
    var mark = e.target.closest("mark.f");
    if (mark) activateMark(mark);
  });
  textPane.addEventListener("keydown", function (e) {
    if ((e.key === "Enter" || e.key === " ") && e.target.matches("mark.f")) {
      e.preventDefault();
      activateMark(e.target);
    }
  });

  // ---- a row leads to its highlight; the outline to its heading ----
  tablePane.addEventListener("click", function (e) {
    var button = e.target.closest("th button");
    if (button) { current.sortBy(button.closest("th").cellIndex); return; }
    var row = e.target.closest("tr[data-f]");
    if (row) goTo(row.getAttribute("data-f"), false);
  });
  tablePane.addEventListener("keydown", function (e) {
    var row = e.target.matches && e.target.matches("tr[data-f]") ? e.target : null;
    if (!row) return;
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      goTo(row.getAttribute("data-f"), false);
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      var at = current.view.indexOf(current.index.get(row.getAttribute("data-f")));
      var next = current.view[at + (e.key === "ArrowDown" ? 1 : -1)];
      if (next === undefined) return;
      var nextRow = current.reveal(current.fid(next));
      if (nextRow) nextRow.focus();
    }
  });
  var drawing = 0;
  tablePane.addEventListener("scroll", function () {
    if (!drawing) drawing = requestAnimationFrame(function () { drawing = 0; current.draw(); });
  }, { passive: true });
  window.addEventListener("resize", function () { if (current) { current.drawn = null; current.draw(); } });
  window.addEventListener("beforeprint", function () { if (current) { current.drawn = null; current.draw(true); } });
  window.addEventListener("afterprint", function () { if (current) { current.drawn = null; current.draw(); } });

  document.querySelector(".side").addEventListener("click", function (e) {
    var a = e.target.closest("a");
    if (!a) return;
    e.preventDefault();
    if (a.hasAttribute("data-doc-link")) showDoc(a.getAttribute("data-doc-link"));
    else if (a.hasAttribute("data-f")) goTo(a.getAttribute("data-f"), true);
  });

  // ---- filters: fact types and the search box ----
  function applyTypes() {
    all(".legend input[data-type]").forEach(function (box) {
      body.classList.toggle("hide-" + box.getAttribute("data-type"), !box.checked);
    });
    if (current) current.refresh();
  }

  var pending = 0;
  search.addEventListener("input", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { tablePane.scrollTop = 0; current.refresh(); }, 120);
  });
  search.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { search.value = ""; current.refresh(); }
  });
  all(".legend input[data-type]").forEach(function (box) { box.addEventListener("change", applyTypes); });
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)) {
      e.preventDefault();
      search.focus();
    } else if (e.key === "Escape") {
      hideTip();
    }
  });

  // ---- start: the filters as the browser restored them, then a fact or document in the address ----
  Object.keys(data.docs).forEach(function (key) { tables[key] = new Table(key, data.docs[key]); });
  var first = document.querySelector("article.doc.current");
  if (first) { current = tables[first.id]; }
  applyTypes();
  function follow() {
    var wanted = decodeURIComponent(location.hash.slice(1));
    var target = wanted && document.getElementById(wanted);
    if (target && target.matches("mark.f")) goTo(wanted, true);
    else if (target && target.matches("article.doc")) showDoc(wanted);
  }
  follow();
  // a link inside the page (the promise table's) goes to its span as the address would
  window.addEventListener("hashchange", follow);
})();
