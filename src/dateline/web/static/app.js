// Dateline web UI: plain DOM, no build step, nothing loaded from elsewhere.
// Every piece of article-derived text goes in through text nodes (never innerHTML),
// so a hostile article shows as the characters it is made of.
"use strict";

const view = document.getElementById("view");
const SVG = "http://www.w3.org/2000/svg";
const KINDS = ["quote", "entity", "time", "quantity", "event"];
const LABELS = { quote: "quote", entity: "entity", time: "time", quantity: "number", event: "event" };

// ---------- DOM helpers ----------

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "href") node.setAttribute("href", safeHref(value));
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, String(value));
  }
  for (const child of children) node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

// Links are either routes of this app or plain web addresses; anything else (javascript:, data:) goes nowhere.
function safeHref(value) {
  const href = String(value);
  if (href.startsWith("#/")) return href;
  try {
    const url = new URL(href);
    if (url.protocol === "http:" || url.protocol === "https:") return url.href;
  } catch (_) { /* not a URL */ }
  return "#/";
}

function route(path, params) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== null && v !== undefined && v !== "") query.set(k, v);
  const qs = query.toString();
  return "#/" + path + (qs ? "?" + qs : "");
}

// replaceChildren() takes nodes only; this also takes strings and (nested) arrays of them
function fill(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

function show(...children) {
  fill(view, ...children);
}

function errorBox(err) {
  return el("div", { class: "error", role: "alert" }, String(err.message || err));
}

async function api(path, options) {
  const response = await fetch(path, options);
  let body = null;
  try { body = await response.json(); } catch (_) { /* not JSON */ }
  if (!response.ok) {
    const detail = body && body.detail ? body.detail : response.statusText;
    throw new Error(`${response.status}: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`);
  }
  return body;
}

function pager(page, go) {
  const last = page.offset + page.items.length;
  return el("div", { class: "pager" },
    el("button", { type: "button", disabled: page.offset <= 0, onclick: () => go(Math.max(0, page.offset - page.limit)) }, "← previous"),
    el("span", { class: "muted" }, page.total ? `${page.offset + 1}–${last} of ${page.total}` : "nothing found"),
    el("button", { type: "button", disabled: last >= page.total, onclick: () => go(page.offset + page.limit) }, "next →"));
}

function sourcesOf(entry) {
  return (entry.sources || []).map((s, i) => [i ? ", " : "", el("a", { href: route("doc/" + encodeURIComponent(s.document_id)) }, s.title || s.document_id)]);
}

// ---------- the article view: facts highlighted by their offsets ----------

function factsOf(doc) {
  const facts = [];
  const add = (kind, start, end, data, label) => {
    if (Number.isInteger(start) && Number.isInteger(end) && start < end && start >= 0 && end <= doc.text.length)
      facts.push({ id: facts.length, kind, start, end, data, label });
  };
  for (const q of doc.quotes || []) add("quote", q.start, q.end, q, "QUOTE");
  for (const e of doc.entities || []) for (const m of e.mentions || []) add("entity", m.start, m.end, e, e.type);
  for (const t of doc.times || []) add("time", t.start, t.end, t, t.type);
  for (const n of doc.quantities || []) add("quantity", n.start, n.end, n, "NUM");
  // an event's sentence is long; its trigger word is what gets marked
  for (const ev of doc.events || []) if (ev.trigger) add("event", ev.trigger.start, ev.trigger.end, ev, "EVENT");
  return facts;
}

const order = (a, b) => a.start - b.start || b.end - a.end || KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind);

// Facts nest where one holds another; a fact crossing another's edge is cut into pieces that nest.
function renderSpans(container, text, facts, from, to, index) {
  let pending = facts.map((f) => ({ ...f, start: Math.max(f.start, from), end: Math.min(f.end, to) }))
    .filter((f) => f.start < f.end).sort(order);
  let pos = from;
  while (pending.length) {
    const outer = pending.shift();
    if (outer.start < pos) { outer.start = pos; if (outer.start >= outer.end) continue; pending.unshift(outer); pending.sort(order); continue; }
    textAt(container, text, pos, outer.start, index);
    const inner = [];
    const rest = [];
    for (const f of pending) {
      if (f.start >= outer.end) rest.push(f);
      else {
        inner.push({ ...f, end: Math.min(f.end, outer.end) });
        if (f.end > outer.end) rest.push({ ...f, start: outer.end });
      }
    }
    const span = el("span", { class: "fact " + outer.kind, "data-fact": outer.id, "data-kind": outer.kind, "data-label": outer.label, tabindex: 0 });
    renderSpans(span, text, inner, outer.start, outer.end, index);
    container.appendChild(span);
    pos = outer.end;
    pending = rest.sort(order);
  }
  textAt(container, text, pos, to, index);
}

function textAt(container, text, start, end, index) {
  if (start >= end) return;
  const node = document.createTextNode(text.slice(start, end));
  index.push({ node, start, end });
  container.appendChild(node);
}

function rangeFor(index, start, end) {
  const first = index.find((t) => t.start <= start && start < t.end);
  const last = index.find((t) => t.start < end && end <= t.end);
  if (!first || !last) return null;
  const range = new Range();
  range.setStart(first.node, start - first.start);
  range.setEnd(last.node, end - last.start);
  return range;
}

function row(dl, term, ...value) {
  if (value.every((v) => v === null || v === undefined || v === "")) return;
  append(dl, [el("dt", {}, term), el("dd", {}, ...value)]);
}

function entityLink(name) {
  return el("a", { href: route("entities", { q: name }) }, name);
}

function describe(fact, doc) {
  const d = fact.data;
  const dl = el("dl", { class: "fact-" + fact.kind });
  const title = el("h3", {}, LABELS[fact.kind]);
  if (fact.kind === "quote") {
    row(dl, "kind", d.attribution === "belief" ? `${d.kind} (belief)` : d.kind);
    row(dl, "words", el("blockquote", { class: "quote-text" }, d.display));
    row(dl, "speaker", d.speaker ? entityLink(d.speaker.name) : "unknown");
    if (d.speaker && d.speaker.text !== d.speaker.name) row(dl, "in the text", d.speaker.text);
    row(dl, "date", d.date ? d.date + (d.date_source === "same-occasion" ? " (same occasion)" : "") : doc.published ? `${doc.published} (article date)` : "unknown");
    if (d.cue) row(dl, "cue", d.cue.text);
  } else if (fact.kind === "entity") {
    row(dl, "name", entityLink(d.name));
    row(dl, "type", d.type);
    if (d.title) row(dl, "title", d.title);
    if ((d.aliases || []).length) row(dl, "also", d.aliases.join(", "));
    row(dl, "mentions", String((d.mentions || []).length));
  } else if (fact.kind === "time") {
    row(dl, "words", d.text); row(dl, "type", d.type); row(dl, "value", d.value);
    row(dl, "modifier", d.mod); row(dl, "anchored", d.anchored ? "yes" : "no (relative, no date to anchor it)");
  } else if (fact.kind === "quantity") {
    row(dl, "words", d.text); row(dl, "value", String(d.value)); row(dl, "unit", d.unit);
    if (d.approximate) row(dl, "approximate", "yes");
    if (d.lower !== null && d.lower !== undefined) row(dl, "range", `${d.lower} – ${d.upper}`);
  } else if (fact.kind === "event") {
    row(dl, "action", d.action); row(dl, "type", d.type); row(dl, "modality", d.modality);
    row(dl, "actor", d.actor ? entityLink(d.actor.name) : null);
    row(dl, "target", d.target ? entityLink(d.target.name) : null);
    row(dl, "place", d.place ? d.place.name : null);
    row(dl, "date", d.date ? d.date + (d.date_derived ? " (derived)" : "") : null);
    row(dl, "sentence", d.text);
  }
  return [title, dl];
}

function roleRanges(fact, index) {
  const d = fact.data;
  const roles = fact.kind === "quote" ? [d.speaker, d.cue] : fact.kind === "event" ? [d.actor, d.target, d.place] : [];
  return roles.filter((r) => r && Number.isInteger(r.start)).map((r) => rangeFor(index, r.start, r.end)).filter(Boolean);
}

function articleView(doc, stored) {
  const facts = factsOf(doc);
  const index = [];
  const body = el("div", { class: "article-text", id: "article-text" });
  renderSpans(body, doc.text, facts, 0, doc.text.length, index);
  const details = el("aside", { class: "details", id: "fact-details" }, el("p", { class: "muted" }, "Click a highlighted fact to see where it comes from."));

  body.addEventListener("click", (event) => {
    const span = event.target.closest ? event.target.closest(".fact") : null;
    if (!span) return;
    body.querySelectorAll(".fact.selected").forEach((s) => s.classList.remove("selected"));
    const chain = [];
    for (let node = span; node && node !== body; node = node.parentElement) {
      if (node.classList.contains("fact")) chain.push(facts[Number(node.dataset.fact)]);
    }
    body.querySelectorAll(`.fact[data-fact="${Number(span.dataset.fact)}"]`).forEach((s) => s.classList.add("selected"));
    fill(details, ...chain.flatMap((f) => describe(f, doc)));
    if (window.CSS && CSS.highlights && window.Highlight) {
      CSS.highlights.set("role", new Highlight(...chain.flatMap((f) => roleRanges(f, index))));
    }
  });

  const counts = Object.fromEntries(KINDS.map((k) => [k, facts.filter((f) => f.kind === k).length]));
  const legend = el("div", { class: "legend" }, KINDS.map((kind) =>
    el("label", {},
      el("input", { type: "checkbox", checked: true, onchange: (e) => body.classList.toggle("hide-" + kind, !e.target.checked) }),
      el("span", { class: "fact " + kind }, LABELS[kind]), ` ${counts[kind]}`)));

  const meta = [doc.published, doc.publisher, (doc.authors || []).join(", ")].filter(Boolean).join(" · ");
  return el("article", { class: "article" },
    el("h1", { id: "article-title" }, doc.title || "(untitled)"),
    el("p", { class: "muted" }, meta, doc.url ? [" · ", el("a", { href: doc.url, rel: "noopener noreferrer" }, "original")] : null,
      stored ? null : " · extracted, not stored"),
    (doc.warnings || []).map((w) => el("p", { class: "muted" }, "⚠ " + w)),
    legend,
    el("div", { class: "article-layout" }, body, details));
}

// ---------- pages ----------

async function home(params) {
  const input = el("textarea", { id: "article-input", placeholder: "Paste an article (plain text or HTML)…", "aria-label": "article" });
  const file = el("input", { type: "file", id: "article-file", accept: ".txt,.html,.htm,text/plain,text/html" });
  const published = el("input", { type: "date", id: "article-published", "aria-label": "publication date" });
  const result = el("div", { id: "extract-result" });
  const button = el("button", { type: "submit", id: "extract-button" }, "Find the facts");
  file.addEventListener("change", async () => { if (file.files[0]) input.value = await file.files[0].text(); });
  const form = el("form", { id: "extract-form" }, input, file, el("label", {}, "published ", published), button);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    fill(result, el("p", { class: "muted" }, "Reading…"));
    const text = input.value;
    const looksHtml = /^\s*(<!doctype html|<html|<head|<body|<article|<p[\s>])/i.test(text);
    const payload = looksHtml ? { html: text } : { text };
    if (published.value) payload.published = published.value;
    try {
      const doc = await api("/extract", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) });
      fill(result, articleView(doc, false));
    } catch (err) {
      fill(result, errorBox(err));
    } finally {
      button.disabled = false;
    }
  });
  const list = el("div", { id: "documents" });
  show(el("h1", {}, "Read an article"), form, result, el("h2", {}, "Stored articles"), list);
  const offset = Number(params.get("offset") || 0);
  try {
    const page = await api(`/documents?limit=20&offset=${offset}`);
    fill(list,
      el("ul", { class: "list" }, page.items.map((d) => el("li", {},
        el("a", { href: route("doc/" + encodeURIComponent(d.id)) }, d.title || d.id),
        el("span", { class: "muted" }, ` ${d.published || "undated"} · ${d.quotes} quotes · ${d.events} events`, d.duplicate_of ? " · near-copy" : "")))),
      pager(page, (o) => { location.hash = route("", { offset: o }); }));
  } catch (err) {
    fill(list, errorBox(err));
  }
}

async function documentPage(id) {
  show(el("p", { class: "muted" }, "Loading…"));
  try {
    show(articleView(await api("/documents/" + encodeURIComponent(id)), true));
  } catch (err) {
    show(errorBox(err));
  }
}

function searchForm(fields, values, submit) {
  const inputs = {};
  const form = el("form", { class: "query" }, fields.map(([name, label, type]) => {
    inputs[name] = el("input", { name, type: type || "text", value: values.get(name) || "", "aria-label": label, placeholder: label });
    return inputs[name];
  }), el("button", { type: "submit" }, "Go"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit(Object.fromEntries(Object.entries(inputs).map(([k, i]) => [k, i.value.trim()])));
  });
  return form;
}

async function entitiesPage(params) {
  const go = (p) => { location.hash = route("entities", p); };
  const out = el("div", {});
  show(el("h1", {}, "Entities"), searchForm([["q", "name"], ["type", "type (PERSON, ORG…)"]], params, go), out);
  const offset = Number(params.get("offset") || 0);
  try {
    const query = new URLSearchParams({ limit: 50, offset });
    for (const k of ["q", "type"]) if (params.get(k)) query.set(k, params.get(k));
    const page = await api("/entities?" + query);
    fill(out, el("ul", { class: "list" }, page.items.map((e) => el("li", {},
      el("a", { href: route("entity/" + encodeURIComponent(e.id)) }, e.name),
      el("span", { class: "muted" }, ` ${e.type} · ${e.documents} articles · ${e.mentions} mentions`)))),
      pager(page, (o) => go({ q: params.get("q"), type: params.get("type"), offset: o })));
  } catch (err) {
    fill(out, errorBox(err));
  }
}

function quoteList(items) {
  return el("ul", { class: "list quotes" }, items.map((q) => el("li", {},
    el("blockquote", {}, q.display),
    el("span", { class: "muted" }, q.date ? q.date + (q.date_from === "published" ? " (article date)" : "") : "undated", " · ", q.speaker || "unknown speaker", " · in "), sourcesOf(q))));
}

function eventList(items) {
  return el("ul", { class: "list events" }, items.map((e) => el("li", {},
    el("strong", {}, e.date || "undated"), " ", [e.actor, e.action, e.target].filter(Boolean).join(" · "),
    e.modality !== "happened" ? el("span", { class: "muted" }, ` (${e.modality})`) : null,
    el("div", { class: "muted" }, e.text, " — ", sourcesOf(e)))));
}

// An interactive time axis: one lane per kind, one mark per dated entry; click a mark for its details.
function timelineChart(lanes, detail) {
  const dated = lanes.flatMap((lane) => lane.items.filter((i) => i.date).map((i) => Date.parse(i.date.slice(0, 10))));
  if (!dated.length) return el("p", { class: "muted" }, "Nothing dated to draw.");
  const width = 900, left = 80, right = 50, laneHeight = 46, top = 16;
  const height = top + lanes.length * laneHeight + 30;
  let lo = Math.min(...dated), hi = Math.max(...dated);
  const week = 7 * 86400000;
  // a short span is widened to a week so that the axis labels are distinct days
  if (hi - lo < week) { const mid = (hi + lo) / 2; lo = mid - week / 2; hi = mid + week / 2; }
  const x = (t) => left + ((t - lo) / (hi - lo)) * (width - left - right);
  const chart = svg("svg", { class: "chart timeline-chart", viewBox: `0 0 ${width} ${height}`, role: "img" });
  const axisY = top + lanes.length * laneHeight;
  chart.appendChild(svg("line", { x1: left, x2: width - right, y1: axisY, y2: axisY, stroke: "#98a2b3" }));
  const ticks = 6;
  for (let i = 0; i <= ticks; i++) {
    const t = lo + ((hi - lo) * i) / ticks;
    chart.appendChild(svg("text", { x: x(t), y: axisY + 16, "text-anchor": "middle" }, new Date(t).toISOString().slice(0, 10)));
  }
  lanes.forEach((lane, li) => {
    const y = top + li * laneHeight + laneHeight / 2;
    chart.appendChild(svg("text", { x: 4, y: y + 4 }, lane.name));
    const seen = {};
    lane.items.forEach((item) => {
      if (!item.date) return;
      const cx = x(Date.parse(item.date.slice(0, 10)));
      const stack = (seen[cx] = (seen[cx] || 0) + 1) - 1;
      const mark = svg("circle", { class: "point", cx, cy: y - 12 + (stack % 4) * 8, r: 6, fill: lane.color,
        tabindex: 0, onclick: (event) => {
          chart.querySelectorAll(".selected").forEach((n) => n.classList.remove("selected"));
          event.target.classList.add("selected");
          fill(detail, lane.describe(item));
        } }, svg("title", {}, `${item.date}: ${lane.label(item)}`));
      chart.appendChild(mark);
    });
  });
  return chart;
}

function quoteLane(items) {
  return { name: "quotes", color: "#7c3aed", items, label: (q) => `${q.speaker || "?"}: ${q.display}`, describe: (q) => quoteList([q]) };
}

function eventLane(items) {
  return { name: "events", color: "#db2777", items, label: (e) => [e.actor, e.action, e.target].filter(Boolean).join(" "), describe: (e) => eventList([e]) };
}

async function entityPage(id) {
  show(el("p", { class: "muted" }, "Loading…"));
  try {
    const found = await api("/entities/" + encodeURIComponent(id));
    const e = found.entity;
    const detail = el("div", { class: "chart-detail", id: "chart-detail" });
    show(el("h1", { id: "entity-name" }, e.name),
      el("p", { class: "muted" }, `${e.type} · ${e.documents} articles · ${e.mentions} mentions`, (e.aliases || []).length ? ` · also ${e.aliases.join(", ")}` : ""),
      el("h2", {}, "On a timeline"), timelineChart([quoteLane(found.quotes), eventLane(found.events)], detail), detail,
      el("h2", {}, `What ${e.name} said (${found.quotes.length})`), quoteList(found.quotes),
      el("h2", {}, `Events (${found.events.length})`), eventList(found.events),
      el("h2", {}, "Articles"), el("ul", { class: "list" }, found.documents.map((d) => el("li", {},
        el("a", { href: route("doc/" + encodeURIComponent(d.id)) }, d.title || d.id), el("span", { class: "muted" }, " " + (d.published || ""))))));
  } catch (err) {
    show(errorBox(err));
  }
}

async function quotesPage(params) {
  const go = (p) => { location.hash = route("quotes", p); };
  const out = el("div", {});
  show(el("h1", {}, "Quotes"), searchForm([["speaker", "speaker"], ["from", "from", "date"], ["to", "to", "date"]], params, go), out);
  const query = new URLSearchParams({ limit: 50, offset: Number(params.get("offset") || 0) });
  for (const k of ["speaker", "from", "to"]) if (params.get(k)) query.set(k, params.get(k));
  try {
    const page = await api("/quotes?" + query);
    fill(out, quoteList(page.items), pager(page, (o) => go({ speaker: params.get("speaker"), from: params.get("from"), to: params.get("to"), offset: o })));
  } catch (err) {
    fill(out, errorBox(err));
  }
}

async function timelinePage(params) {
  const go = (p) => { location.hash = route("timeline", p); };
  const out = el("div", {});
  show(el("h1", {}, "Timeline"), searchForm([["entity", "entity name"], ["story", "story id"]], params, go), out);
  const query = new URLSearchParams({ limit: 200 });
  for (const k of ["entity", "story"]) if (params.get(k)) query.set(k, params.get(k));
  try {
    const page = await api("/timeline?" + query);
    const detail = el("div", { class: "chart-detail", id: "chart-detail" });
    fill(out, timelineChart([eventLane(page.items)], detail), detail,
      el("p", { class: "muted" }, `${page.total} events${page.total > page.items.length ? ", the first " + page.items.length + " drawn" : ""}`),
      eventList(page.items));
  } catch (err) {
    fill(out, errorBox(err));
  }
}

async function searchPage(params) {
  const go = (p) => { location.hash = route("search", p); };
  const out = el("div", {});
  show(el("h1", {}, "Search"), searchForm([["q", "words"]], params, go), out);
  if (!params.get("q")) return;
  try {
    const offset = Number(params.get("offset") || 0);
    const page = await api("/search?" + new URLSearchParams({ q: params.get("q"), limit: 20, offset }));
    fill(out, el("ul", { class: "list" }, page.items.map((h) => el("li", {},
      el("a", { href: route("doc/" + encodeURIComponent(h.document_id)) }, h.title || h.document_id),
      el("span", { class: "muted" }, ` ${h.published || ""} · score ${h.score}`, h.duplicates.length ? ` · +${h.duplicates.length} near-copies` : ""),
      el("div", {}, h.snippet)))), pager(page, (o) => go({ q: params.get("q"), offset: o })));
  } catch (err) {
    fill(out, errorBox(err));
  }
}

const PALETTE = ["#2958c7", "#db2777", "#059669", "#d97706", "#7c3aed", "#0891b2", "#65a30d", "#dc2626", "#4b5563"];

// a style attribute would need 'unsafe-inline' in the page's CSP; the CSSOM does not
function swatch(color) {
  const node = el("span", { class: "swatch" });
  node.style.background = color;
  return node;
}

function lineChart(buckets, series) {
  const width = 900, height = 260, left = 40, right = 20, top = 12, bottom = 40;
  const peak = Math.max(1, ...series.flatMap((s) => s.counts));
  const x = (i) => left + (buckets.length > 1 ? (i / (buckets.length - 1)) * (width - left - right) : (width - left - right) / 2);
  const y = (v) => top + (1 - v / peak) * (height - top - bottom);
  const chart = svg("svg", { class: "chart trends-chart", viewBox: `0 0 ${width} ${height}`, role: "img" });
  chart.appendChild(svg("line", { x1: left, x2: width - right, y1: y(0), y2: y(0), stroke: "#98a2b3" }));
  chart.appendChild(svg("text", { x: 4, y: y(peak) + 4 }, peak));
  const step = Math.max(1, Math.ceil(buckets.length / 8));
  buckets.forEach((b, i) => { if (i % step === 0) chart.appendChild(svg("text", { x: x(i), y: height - bottom + 18, "text-anchor": "middle" }, b)); });
  series.forEach((s, si) => {
    const color = PALETTE[si % PALETTE.length];
    chart.appendChild(svg("polyline", { points: s.counts.map((c, i) => `${x(i)},${y(c)}`).join(" "), fill: "none", stroke: color, "stroke-width": 2 }));
    s.counts.forEach((c, i) => chart.appendChild(svg("circle", { class: "point", cx: x(i), cy: y(c), r: 3, fill: color }, svg("title", {}, `${s.name}, ${buckets[i]}: ${c}`))));
  });
  const legend = el("div", { class: "legend" }, series.map((s, si) => el("span", {}, swatch(PALETTE[si % PALETTE.length]), `${s.name} (${s.counts.reduce((a, b) => a + b, 0)})`)));
  return [chart, legend];
}

async function trendsPage(params) {
  const by = params.get("by") === "day" ? "day" : "week";
  const out = el("div", {});
  show(el("h1", {}, "Trends"),
    el("p", {}, "per ", el("a", { href: route("trends", { by: "week" }) }, "week"), " · ", el("a", { href: route("trends", { by: "day" }) }, "day")), out);
  try {
    const t = await api("/trends?by=" + by);
    if (!t.buckets.length) { fill(out, el("p", { class: "muted" }, "No dated articles yet.")); return; }
    fill(out,
      el("h2", {}, `Articles per ${by}`), lineChart(t.buckets, [{ name: "articles", counts: t.documents }]),
      el("h2", {}, "Entities (articles naming them)"), lineChart(t.buckets, t.entities),
      el("h2", {}, "Event types"), lineChart(t.buckets, t.event_types));
  } catch (err) {
    fill(out, errorBox(err));
  }
}

function dispatch() {
  const hash = location.hash.replace(/^#\/?/, "");
  const [path, qs] = hash.split("?", 2);
  const params = new URLSearchParams(qs || "");
  const [page, ...rest] = path.split("/");
  const id = decodeURIComponent(rest.join("/"));
  window.CSS && CSS.highlights && CSS.highlights.clear();
  if (page === "doc" && id) return documentPage(id);
  if (page === "entity" && id) return entityPage(id);
  if (page === "entities") return entitiesPage(params);
  if (page === "quotes") return quotesPage(params);
  if (page === "timeline") return timelinePage(params);
  if (page === "search") return searchPage(params);
  if (page === "trends") return trendsPage(params);
  return home(params);
}

window.addEventListener("hashchange", dispatch);
dispatch();
