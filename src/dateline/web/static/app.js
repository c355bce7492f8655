// Dateline web UI: plain DOM, no build step, nothing loaded from elsewhere.
// Every piece of article-derived text goes in through text nodes (never innerHTML),
// so a hostile article shows as the characters it is made of.
"use strict";

const view = document.getElementById("view");
const KINDS = ["quote", "entity", "time", "quantity", "event"];
const LABELS = { quote: "quote", entity: "entity", time: "time", quantity: "number", event: "event" };
const PLURALS = { quote: "quotes", entity: "entities", time: "times", quantity: "numbers", event: "events" };

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

// Links are either routes of this app or plain web addresses; anything else (javascript:, data:) goes nowhere.
function safeHref(value) {
  const href = String(value);
  if (href.startsWith("#/") || href.startsWith("/#/") || href.startsWith("/articles/") || /^#(fact|at)=/.test(href)) return href;
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
  return "/#/" + path + (qs ? "?" + qs : "");
}

// The page of one stored article; `fact` ("quote-3", "event-0", "entity-2") opens it at that fact's words.
function articleHref(id, fact) {
  return "/articles/" + encodeURIComponent(id) + (fact ? "#fact=" + encodeURIComponent(fact) : "");
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

// each source links to its article at the entry's own words there
function sourcesOf(entry) {
  return (entry.sources || []).map((s, i) => [i ? ", " : "", el("a", { class: "source", href: articleHref(s.document_id, s.fact) }, s.title || s.document_id)]);
}

// ---------- the article view: facts highlighted by their offsets ----------

function factsOf(doc) {
  const facts = [];
  const add = (kind, fid, start, end, data, label) => {
    if (Number.isInteger(start) && Number.isInteger(end) && start < end && start >= 0 && end <= doc.text.length)
      facts.push({ id: facts.length, fid, kind, start, end, data, label });
  };
  (doc.quotes || []).forEach((q, i) => add("quote", "quote-" + i, q.start, q.end, q, "QUOTE"));
  (doc.entities || []).forEach((e, i) => (e.mentions || []).forEach((m) => add("entity", "entity-" + i, m.start, m.end, e, e.type)));
  (doc.times || []).forEach((t, i) => add("time", "time-" + i, t.start, t.end, t, t.type));
  (doc.quantities || []).forEach((n, i) => add("quantity", "quantity-" + i, n.start, n.end, n, "NUM"));
  // an event's sentence is long; its trigger word is what gets marked (the sentence is highlighted when chosen)
  (doc.events || []).forEach((ev, i) => { if (ev.trigger) add("event", "event-" + i, ev.trigger.start, ev.trigger.end, ev, "EVENT"); });
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
    const span = el("span", { class: "fact " + outer.kind, "data-fact": outer.id, "data-fid": outer.fid, "data-kind": outer.kind, "data-label": outer.label, tabindex: 0 });
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
    row(dl, "kind", d.kind);
    row(dl, "words", el("blockquote", { class: "quote-text" }, d.text));
    row(dl, "speaker", d.speaker ? entityLink(d.speaker.name) : "unknown");
    if (d.speaker && d.speaker.text !== d.speaker.name) row(dl, "in the text", d.speaker.text);
    row(dl, "date", d.date ? d.date : doc.published ? `${doc.published} (article date)` : "unknown");
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

  // show a fact: outline its marks, describe it and what holds it, highlight its words and its roles;
  // on a stored article the address becomes /articles/ID#fact=…, a link to exactly this
  function choose(span, share) {
    body.querySelectorAll(".fact.selected").forEach((s) => s.classList.remove("selected"));
    const chain = [];
    for (let node = span; node && node !== body; node = node.parentElement) {
      if (node.classList.contains("fact")) chain.push(facts[Number(node.dataset.fact)]);
    }
    const own = chain[0];
    body.querySelectorAll(".fact").forEach((s) => { if (s.dataset.fid === own.fid) s.classList.add("selected"); });
    fill(details, ...chain.flatMap((f) => describe(f, doc)));
    if (window.CSS && CSS.highlights && window.Highlight) {
      CSS.highlights.set("role", new Highlight(...chain.flatMap((f) => roleRanges(f, index))));
      const words = own.kind === "event" ? rangeFor(index, own.data.start, own.data.end) : rangeFor(index, own.start, own.end);
      CSS.highlights.set("chosen", new Highlight(...(words ? [words] : [])));
    }
    if (share && stored) history.replaceState(null, "", "#fact=" + own.fid);
  }

  body.addEventListener("click", (event) => {
    const span = event.target.closest ? event.target.closest(".fact") : null;
    if (span) choose(span, true);
  });
  body.addEventListener("keydown", (event) => {
    const span = event.target.closest ? event.target.closest(".fact") : null;
    if (span && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); choose(span, true); }
  });

  // what each kind counts: entities are things named, each with its mentions
  const count = (kind) => facts.filter((f) => f.kind === kind).length;
  const entities = new Set(facts.filter((f) => f.kind === "entity").map((f) => f.fid)).size;
  const counted = (kind) => kind === "entity" ? ` ${entities} (${count(kind)} mentions)` : ` ${count(kind)}`;
  const legend = el("div", { class: "legend" }, KINDS.map((kind) =>
    el("label", {},
      el("input", { type: "checkbox", checked: true, onchange: (e) => body.classList.toggle("hide-" + kind, !e.target.checked) }),
      el("span", { class: "fact " + kind }, PLURALS[kind]), counted(kind))));

  const meta = [doc.published, doc.publisher, (doc.authors || []).join(", ")].filter(Boolean).join(" · ");
  const view = el("article", { class: "article" },
    el("h1", { id: "article-title" }, doc.title || "(untitled)"),
    el("p", { class: "muted" }, [
      meta || null,
      doc.url ? el("a", { href: doc.url, rel: "noopener noreferrer" }, "original") : null,
      stored ? el("a", { href: articleHref(doc.id), id: "article-link" }, "link to this article") : "extracted, not stored",
    ].filter(Boolean).map((part, i) => [i ? " · " : "", part])),
    (doc.warnings || []).map((w) => el("p", { class: "muted" }, "⚠ " + w)),
    legend,
    el("div", { class: "article-layout" }, body, details));

  // /articles/ID#fact=quote-3: that fact chosen and scrolled to
  view.openFact = (fid) => {
    const span = Array.from(body.querySelectorAll(".fact")).find((s) => s.dataset.fid === fid);
    if (!span) {
      fill(details, el("p", { class: "error", role: "alert" }, `This article has no fact “${fid}”.`));
      return;
    }
    choose(span, false);
    span.scrollIntoView({ block: "center" });
  };
  // /articles/ID#at=120-131: a stretch of the text (a search hit) highlighted and scrolled to
  view.openRange = (start, end) => {
    const range = rangeFor(index, start, end);
    if (!range) return;
    if (window.CSS && CSS.highlights && window.Highlight) CSS.highlights.set("chosen", new Highlight(range));
    const holder = range.startContainer.parentElement;
    if (holder) holder.scrollIntoView({ block: "center" });
  };
  return view;
}

// ---------- pages ----------

// what the server allows (GET /info): whether "Save" can store an article, and whether it needs a token
let serverInfo = null;
function info() {
  if (!serverInfo) serverInfo = api("/info").catch(() => ({ writable: false, token_required: false }));
  return serverInfo;
}

const TOKEN_KEY = "dateline-ingest-token";

// "Save": the same article sent to POST /ingest; the stored article then opens at once
async function saveBox(payload) {
  const about = await info();
  if (!about.writable) return el("p", { class: "muted", id: "save-off" }, "Extracted, not stored: start the server with --writable (or a token) to save articles from here.");
  const status = el("span", { class: "muted", id: "save-status" });
  const token = about.token_required
    ? el("input", { type: "password", id: "save-token", placeholder: "ingest token", "aria-label": "ingest token", value: sessionStorage.getItem(TOKEN_KEY) || "" })
    : null;
  const button = el("button", { type: "button", id: "save-button" }, "Save to the database");
  button.addEventListener("click", async () => {
    button.disabled = true;
    fill(status, " Saving…");
    const headers = { "Content-Type": "application/json" };
    if (token) {
      sessionStorage.setItem(TOKEN_KEY, token.value);
      headers.Authorization = "Bearer " + token.value;
    }
    try {
      const saved = await api("/ingest", { method: "POST", headers, body: JSON.stringify(payload) });
      location.assign(articleHref(saved.id));
    } catch (err) {
      fill(status, errorBox(err));
      button.disabled = false;
    }
  });
  return el("div", { class: "save", id: "save" }, token, button, status);
}

const FILTERS = { from: "published from", to: "to", entity: "naming entity", event_type: "with events of type" };

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
      fill(result, await saveBox(payload), articleView(doc, false));
    } catch (err) {
      fill(result, errorBox(err));
    } finally {
      button.disabled = false;
    }
  });
  const list = el("div", { id: "documents" });
  const chosen = Object.keys(FILTERS).filter((k) => params.get(k));
  const heading = chosen.length
    ? ["Stored articles ", chosen.map((k) => `${FILTERS[k]} ${params.get(k)} `), el("a", { href: route("") }, "(all)")]
    : "Stored articles";
  show(el("h1", {}, "Read an article"), form, result, el("h2", { id: "documents-heading" }, heading), list);
  const query = new URLSearchParams({ limit: 20, offset: Number(params.get("offset") || 0) });
  for (const k of chosen) query.set(k, params.get(k));
  try {
    const page = await api("/documents?" + query);
    const filters = Object.fromEntries(chosen.map((k) => [k, params.get(k)]));
    fill(list,
      el("ul", { class: "list documents" }, page.items.map((d) => el("li", {},
        el("a", { href: articleHref(d.id) }, d.title || d.id),
        el("span", { class: "muted" }, ` ${d.published || "undated"} · ${d.quotes} quotes · ${d.events} events`, d.duplicate_of ? " · near-copy" : "")))),
      pager(page, (o) => { location.assign(route("", { ...filters, offset: o })); }));
  } catch (err) {
    fill(list, errorBox(err));
  }
}

// the article of /articles/ID; the fragment picks what to show: #fact=quote-3 or #at=START-END
let openArticle = null;

function openFromHash() {
  if (!openArticle) return;
  const wanted = new URLSearchParams(location.hash.replace(/^#/, ""));
  if (wanted.get("fact")) openArticle.openFact(wanted.get("fact"));
  const at = /^(\d+)-(\d+)$/.exec(wanted.get("at") || "");
  if (at) openArticle.openRange(Number(at[1]), Number(at[2]));
}

async function documentPage(id) {
  openArticle = null;
  show(el("p", { class: "muted" }, "Loading…"));
  try {
    openArticle = articleView(await api("/documents/" + encodeURIComponent(id)), true);
    show(openArticle);
    openFromHash();
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

// counts say what they count: near-copies of an article are not counted again
function copies(documents) {
  const n = documents.filter((d) => d.duplicate_of).length;
  return n ? `, ${n} of them near-cop${n === 1 ? "y" : "ies"} of another` : "";
}

function entityCounts(e) {
  return `${e.type} · named in ${e.documents} article${e.documents === 1 ? "" : "s"} · ${e.mentions} mention${e.mentions === 1 ? "" : "s"}`;
}

async function entitiesPage(params) {
  const go = (p) => { location.assign(route("entities", p)); };
  const out = el("div", {});
  show(el("h1", {}, "Entities"), searchForm([["q", "name"], ["type", "type (PERSON, ORG…)"]], params, go), out);
  const offset = Number(params.get("offset") || 0);
  try {
    const query = new URLSearchParams({ limit: 50, offset });
    for (const k of ["q", "type"]) if (params.get(k)) query.set(k, params.get(k));
    const page = await api("/entities?" + query);
    fill(out, el("p", { class: "muted", id: "entities-total" }, `${page.total} entit${page.total === 1 ? "y" : "ies"}: people, organisations, places…, each counted once across articles; “articles” counts the articles naming it (near-copies not again), “mentions” the times they do`),
      el("ul", { class: "list entities" }, page.items.map((e) => el("li", {},
        el("a", { href: route("entity/" + encodeURIComponent(e.id)) }, e.name),
        el("span", { class: "muted" }, " " + entityCounts(e), (e.aliases || []).length ? ` · also ${e.aliases.join(", ")}` : "")))),
      pager(page, (o) => go({ q: params.get("q"), type: params.get("type"), offset: o })));
  } catch (err) {
    fill(out, errorBox(err));
  }
}

function quoteList(items) {
  return el("ul", { class: "list quotes" }, items.map((q) => el("li", {},
    el("blockquote", {}, "“", q.text, "”"),
    el("span", { class: "muted" }, q.date || "undated", " · ", q.speaker ? q.speaker.name : "unknown speaker", " · in "), sourcesOf(q))));
}

function eventList(items) {
  return el("ul", { class: "list events" }, items.map((e) => el("li", {},
    // the date at its own precision, marked where it is only the article's ("reported on")
    el("strong", { class: "when" }, e.when || e.date || "undated"), e.precision ? el("span", { class: "muted" }, ` (to the ${e.precision})`) : null,
    " ", [e.actor, e.action, e.target].filter(Boolean).join(" · "),
    e.modality !== "happened" ? el("span", { class: "muted" }, ` (${e.modality})`) : null,
    // a statement's summary holds what was said; an event's is its words
    el("div", { class: "muted" }, e.summary || e.text, " — ", sourcesOf(e)))));
}

// ---------- charts: Vega-Lite specifications from the server, drawn by the vendored vega-embed ----------

let vegaReady = null;
function loadVega() {
  if (!vegaReady) {
    vegaReady = ["vega.min.js", "vega-lite.min.js", "vega-embed.min.js"].reduce((ready, file) => ready.then(() => new Promise((ok, no) => {
      const script = el("script", { src: "/static/vendor/" + file });
      script.addEventListener("load", ok);
      script.addEventListener("error", () => no(new Error("cannot load " + file)));
      document.head.appendChild(script);
    })), Promise.resolve());
  }
  return vegaReady;
}

// the page's CSP allows no eval: Vega's expressions run in its interpreter (ast: true)
async function drawChart(container, specPath, name) {
  container.classList.add("chart", name);
  try {
    const [spec] = await Promise.all([api(specPath), loadVega()]);
    const drawn = await window.vegaEmbed(container, spec, {
      actions: false, ast: true, renderer: "svg", defaultStyle: false, tooltip: { disableDefaultStyle: true },
    });
    container.dataset.ready = "true";
    return drawn.view;
  } catch (err) {
    fill(container, errorBox(err));
    return null;
  }
}

const CHRONOLOGY_HINT = "Each mark opens the article at its words; the wheel zooms along time, a drag pans, a double-click resets.";

function chartBox(id) {
  return el("div", { id, class: "chart-box" });
}

async function entityPage(id) {
  show(el("p", { class: "muted" }, "Loading…"));
  try {
    const found = await api("/entities/" + encodeURIComponent(id));
    const e = found.entity;
    const chart = chartBox("entity-chart");
    show(el("h1", { id: "entity-name" }, e.name),
      el("p", { class: "muted" }, entityCounts(e), (e.aliases || []).length ? ` · also ${e.aliases.join(", ")}` : ""),
      el("h2", {}, "Chronology"),
      el("p", { class: "muted" }, CHRONOLOGY_HINT), chart,
      el("h2", {}, `What ${e.name} said (${found.quotes.length} quote${found.quotes.length === 1 ? "" : "s"})`), quoteList(found.quotes),
      el("h2", {}, `Events (${found.events.length})`), eventList(found.events),
      el("h2", {}, `Articles naming ${e.name} (${found.documents.length}${copies(found.documents)})`), el("ul", { class: "list" }, found.documents.map((d) => el("li", {},
        el("a", { href: articleHref(d.id, d.fact) }, d.title || d.id), el("span", { class: "muted" }, " " + (d.published || ""), d.duplicate_of ? " · near-copy" : "")))));
    await drawChart(chart, "/charts/entities/" + encodeURIComponent(id), "timeline-chart");
  } catch (err) {
    show(errorBox(err));
  }
}

async function quotesPage(params) {
  const go = (p) => { location.assign(route("quotes", p)); };
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
  const go = (p) => { location.assign(route("timeline", p)); };
  const out = el("div", {});
  show(el("h1", {}, "Timeline"), searchForm([["entity", "entity name"], ["story", "story id"]], params, go), out);
  const query = new URLSearchParams({ limit: 200 });
  for (const k of ["entity", "story"]) if (params.get(k)) query.set(k, params.get(k));
  try {
    const page = await api("/timeline?" + query);
    const chart = chartBox("timeline-chart");
    fill(out, el("p", { class: "muted" }, CHRONOLOGY_HINT), chart,
      el("p", { class: "muted" }, `${page.total} events${page.total > page.items.length ? ", the first " + page.items.length + " listed" : ""}`),
      eventList(page.items));
    const spec = new URLSearchParams();
    for (const k of ["entity", "story"]) if (params.get(k)) spec.set(k, params.get(k));
    await drawChart(chart, "/charts/timeline?" + spec, "timeline-chart");
  } catch (err) {
    fill(out, errorBox(err));
  }
}

async function searchPage(params) {
  const go = (p) => { location.assign(route("search", p)); };
  const out = el("div", {});
  show(el("h1", {}, "Search"), searchForm([["q", "words"]], params, go), out);
  if (!params.get("q")) return;
  try {
    const offset = Number(params.get("offset") || 0);
    const page = await api("/search?" + new URLSearchParams({ q: params.get("q"), limit: 20, offset }));
    // a hit opens its article at the first word searched for
    const at = (h) => articleHref(h.document_id) + (Number.isInteger(h.start) ? `#at=${h.start}-${h.end}` : "");
    fill(out, el("ul", { class: "list hits" }, page.items.map((h) => el("li", {},
      el("a", { href: at(h) }, h.title || h.document_id),
      el("span", { class: "muted" }, ` ${h.published || ""} · score ${h.score}`, h.duplicates.length ? ` · +${h.duplicates.length} near-copies` : ""),
      el("div", {}, h.snippet)))), pager(page, (o) => go({ q: params.get("q"), offset: o })));
  } catch (err) {
    fill(out, errorBox(err));
  }
}

async function trendsPage(params) {
  const by = ["day", "week", "month"].includes(params.get("by")) ? params.get("by") : "week";
  const chart = chartBox("trends-chart");
  show(el("h1", {}, "Trends"),
    el("p", {}, "per ", ["day", "week", "month"].map((p, i) => [i ? " · " : "", p === by ? el("strong", {}, p) : el("a", { href: route("trends", { by: p }) }, p)])),
    el("p", { class: "muted" }, "Click a legend entry to show that series alone (shift-click to add one, click again to undo); click a point for its articles."),
    chart);
  await drawChart(chart, "/charts/trends?by=" + by, "trends-chart");
}

// ---------- stories: articles about one happening (GET /stories, /stories/{id}), each with its chronology ----------

function storySpan(story) {
  const days = [story.start, story.end].filter(Boolean).map((d) => d.slice(0, 10));
  return days.length ? (days[0] === days[days.length - 1] ? days[0] : `${days[0]} – ${days[days.length - 1]}`) : "undated";
}

async function storiesPage(params) {
  const out = el("div", { id: "stories" });
  show(el("h1", {}, "Stories"), el("p", { class: "muted" }, "Articles about one happening, latest first; open one for its chronology."), out);
  const offset = Number(params.get("offset") || 0);
  try {
    const page = await api("/stories?" + new URLSearchParams({ limit: 50, offset }));
    fill(out, el("p", { class: "muted", id: "stories-total" }, `${page.total} stor${page.total === 1 ? "y" : "ies"}`),
      el("ul", { class: "list stories" }, page.items.map((story) => el("li", {},
        el("a", { href: route("story/" + encodeURIComponent(story.id)) }, story.title || story.id),
        el("span", { class: "muted" }, ` ${storySpan(story)} · ${story.articles} article${story.articles === 1 ? "" : "s"}`),
        (story.entities || []).length ? el("div", { class: "muted" }, "about ", (story.entities || []).map((e, i) => [i ? ", " : "", el("a", { href: route("entity/" + encodeURIComponent(e.id)) }, e.name)])) : null))),
      pager(page, (o) => { location.assign(route("stories", { offset: o })); }));
  } catch (err) {
    fill(out, errorBox(err));
  }
}

async function storyPage(id) {
  const heading = el("h1", { id: "story-title" }, "Story");
  const about = el("p", { class: "muted" });
  const chart = chartBox("story-chart");
  const list = el("div", {});
  show(heading, about, el("h2", {}, "Chronology"), el("p", { class: "muted" }, CHRONOLOGY_HINT), chart, el("h2", {}, "Events"), list);
  try {
    // the story's own record, where the server has one (GET /stories/{id}); its events come from /timeline
    const found = await api("/stories/" + encodeURIComponent(id)).catch(() => null);
    const story = found && found.story ? found.story : found;
    fill(heading, story && story.title ? story.title : `Story ${id}`);
    if (story) fill(about, `${storySpan(story)} · ${story.articles} article${story.articles === 1 ? "" : "s"}`);
    const page = await api("/timeline?" + new URLSearchParams({ story: id, limit: 200 }));
    fill(list, el("p", { class: "muted" }, `${page.total} events`), eventList(page.items));
    await drawChart(chart, "/charts/timeline?" + new URLSearchParams({ story: id }), "timeline-chart");
  } catch (err) {
    fill(list, errorBox(err));
  }
}

function dispatch() {
  window.CSS && CSS.highlights && CSS.highlights.clear();
  const article = /^\/articles\/([^/]+)$/.exec(location.pathname);
  if (article && !location.hash.startsWith("#/")) return documentPage(decodeURIComponent(article[1]));
  const hash = location.hash.replace(/^#\/?/, "");
  const [path, qs] = hash.split("?", 2);
  const params = new URLSearchParams(qs || "");
  const [page, ...rest] = path.split("/");
  const id = decodeURIComponent(rest.join("/"));
  if (page === "doc" && id) return location.replace(articleHref(id));  // the address of an article before /articles/
  if (page === "entity" && id) return entityPage(id);
  if (page === "entities") return entitiesPage(params);
  if (page === "quotes") return quotesPage(params);
  if (page === "timeline") return timelinePage(params);
  if (page === "search") return searchPage(params);
  if (page === "trends") return trendsPage(params);
  if (page === "stories") return storiesPage(params);
  if (page === "story" && id) return storyPage(id);
  return home(params);
}

// on an article's page a new #fact=… (a link within it, or typed) picks that fact without reloading
window.addEventListener("hashchange", () => {
  if (openArticle && /^\/articles\//.test(location.pathname) && !location.hash.startsWith("#/")) {
    window.CSS && CSS.highlights && CSS.highlights.clear();
    openFromHash();
  } else {
    dispatch();
  }
});
dispatch();
