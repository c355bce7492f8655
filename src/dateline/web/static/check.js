// The claim checker's page: its own module, over GET /check and GET /documents/ID.
// Article text only ever enters the page as text nodes (never innerHTML).
"use strict";

const result = document.getElementById("check-result");
const form = document.getElementById("check-form");
const button = document.getElementById("check-button");
const LABELS = { supported: "Supported", contradicted: "Contradicted", not_enough_info: "Not enough information" };

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function getJson(path) {
  const response = await fetch(path);
  let body = null;
  try { body = await response.json(); } catch (_) { /* not JSON */ }
  if (!response.ok) throw new Error(`${response.status}: ${body && body.detail ? body.detail : response.statusText}`);
  return body;
}

// `text` with the ranges [start, end) (relative to it) marked, in order and without overlaps
function marked(text, ranges) {
  const parts = [];
  let at = 0;
  for (const [start, end, cls] of ranges.filter((r) => r[0] >= 0 && r[1] <= text.length && r[0] < r[1]).sort((a, b) => a[0] - b[0])) {
    if (start < at) continue;
    parts.push(text.slice(at, start), el("mark", { class: cls }, text.slice(start, end)));
    at = end;
  }
  parts.push(text.slice(at));
  return parts;
}

function factRange(item, offset) {
  const fact = item.fact;
  if (!fact || fact.start < item.start || fact.end > item.end) return [];
  return [[fact.start - offset, fact.end - offset, "fact-words"]];
}

async function showInArticle(item, box, toggle) {
  if (box.childNodes.length) { box.hidden = !box.hidden; return; }
  toggle.disabled = true;
  try {
    const doc = await getJson("/documents/" + encodeURIComponent(item.document_id));
    const ranges = [[item.start, item.end, "evidence-words"], ...factRange(item, 0)];
    const inner = ranges.length > 1 ? [[item.start, item.fact.start, "evidence-words"], [item.fact.start, item.fact.end, "fact-words"], [item.fact.end, item.end, "evidence-words"]] : ranges;
    box.append(...marked(doc.text, inner));
    const first = box.querySelector("mark");
    if (first) first.scrollIntoView({ block: "center" });
  } catch (err) {
    box.append(el("div", { class: "error", role: "alert" }, String(err.message || err)));
  } finally {
    toggle.disabled = false;
  }
}

function articleHref(item) {
  const page = "/articles/" + encodeURIComponent(item.document_id);
  return item.fact && item.fact.kind === "quote" ? `${page}#fact=${item.fact.id}` : `${page}#at=${item.start}-${item.end}`;
}

function evidenceItem(item) {
  const box = el("div", { class: "in-article", hidden: false });
  const toggle = el("button", { type: "button", class: "show-article" }, "show in article");
  toggle.addEventListener("click", () => showInArticle(item, box, toggle));
  return el("li", { class: `evidence ${item.verdict}`, "data-document": item.document_id, "data-start": item.start, "data-end": item.end },
    el("div", {}, el("span", { class: "badge" }, item.verdict), el("strong", {}, item.field), " · ", item.reason),
    el("div", { class: "sentence" }, marked(item.text, factRange(item, item.start))),
    el("div", { class: "muted" },
      // the UI's article page opens at these words (#fact=… for the deciding fact, #at=… for the sentence)
      el("a", { href: articleHref(item) }, item.title || item.document_id),
      ` · ${item.date || "undated"} · characters ${item.start}–${item.end}`, " · ", toggle),
    box);
}

function render(answer) {
  const reading = answer.reading || {};
  const said = reading.speaker ? `${reading.speaker} (${reading.cue || "said"}): ` : "";
  const times = (reading.times || []).map((t) => `${t.text} = ${t.value}`).join(", ");
  result.replaceChildren(
    el("p", { class: `verdict ${answer.verdict}`, id: "verdict" }, LABELS[answer.verdict] || answer.verdict),
    el("p", { id: "verdict-reason" }, answer.reason),
    el("p", { class: "muted reading" }, `Read as ${said}${reading.content || answer.claim}`, times ? ` [${times}] ` : " ", `· as of ${answer.as_of}`),
    answer.evidence.length
      ? el("ul", { class: "list", id: "evidence" }, answer.evidence.map(evidenceItem))
      : el("p", { class: "muted" }, "No stored sentence bears on this claim."));
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const query = new URLSearchParams({ claim: document.getElementById("claim").value });
  for (const [id, key] of [["as-of", "as_of"], ["from", "from"], ["to", "to"]]) {
    const value = document.getElementById(id).value;
    if (value) query.set(key, value);
  }
  button.disabled = true;
  result.replaceChildren(el("p", { class: "muted" }, "Checking…"));
  try {
    render(await getJson("/check?" + query));
  } catch (err) {
    result.replaceChildren(el("div", { class: "error", role: "alert" }, String(err.message || err)));
  } finally {
    button.disabled = false;
  }
});

const initial = new URLSearchParams(location.search);
if (initial.get("claim")) {
  document.getElementById("claim").value = initial.get("claim");
  if (initial.get("as_of")) document.getElementById("as-of").value = initial.get("as_of");
  form.requestSubmit();
}
