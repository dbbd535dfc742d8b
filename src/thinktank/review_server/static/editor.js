// The page editor: saves without reloading, keeps the reviewer's text on any refusal, moves by keyboard.
"use strict";

const rows = () => Array.from(document.querySelectorAll("tr.segment"));

function focusRow(row) {
  if (!row) return;
  const area = row.querySelector("textarea");
  row.scrollIntoView({block: "center"});
  area.focus();
}

function neighbour(row, step) {
  const all = rows();
  return all[all.indexOf(row) + step];
}

function setList(list, items, className) {
  list.replaceChildren(...items.map((text) => {
    const item = document.createElement(className === "qa" ? "li" : "div");
    item.textContent = text;
    return item;
  }));
}

function showMessage(form, text, kind) {
  const box = form.querySelector(".message");
  box.replaceChildren();
  box.className = "message " + (kind || "");
  box.textContent = text;
  return box;
}

async function post(url, form, extra) {
  const data = new URLSearchParams(new FormData(form));
  for (const [key, value] of Object.entries(extra || {})) data.set(key, value);
  const response = await fetch(url, {method: "POST", body: data, credentials: "same-origin",
                                     headers: {"Content-Type": "application/x-www-form-urlencoded"}});
  let body;
  try { body = await response.json(); } catch (error) { body = {error: await response.text()}; }
  return [response.status, body];
}

async function save(form, action, thenNext) {
  const row = form.closest("tr.segment");
  const [status, body] = await post("/api/save", form, {action: action});
  if (status === 200) {
    form.elements.version.value = body.version;
    form.elements.msgstr.value = body.msgstr;
    row.classList.remove("reviewed", "draft", "stale", "untranslated", "needs-work", "conflict");
    row.classList.add(body.state);
    row.querySelector(".badge").textContent = body.state;
    setList(row.querySelector("ul.qa"), body.problems, "qa");
    setList(row.querySelector(".provenance"), body.provenance, "provenance");
    for (const [name, value] of Object.entries(body.counts)) {
      const cell = document.querySelector(`[data-count="${name}"]`);
      if (cell) cell.textContent = value;
    }
    showMessage(form, body.written ? (action === "approve" ? "approved and saved" : "saved as needing work")
                                   : "already saved as it is", "ok");
    refreshPreview(form, false);
    if (thenNext) focusRow(neighbour(row, 1));
    return;
  }
  row.classList.add("conflict");
  const box = showMessage(form, body.error || `the server answered ${status}`, "error");
  if (status === 409 && body.conflict) {
    const theirs = document.createElement("div");
    theirs.className = "theirs";
    const label = document.createElement("strong");
    label.textContent = "Saved meanwhile: ";
    const text = document.createElement("span");
    text.className = "text";
    text.textContent = body.theirs;
    theirs.append(label, text);
    const overwrite = document.createElement("button");
    overwrite.type = "button";
    overwrite.className = "overwrite";
    overwrite.textContent = "Replace theirs with mine";
    overwrite.addEventListener("click", () => { form.elements.version.value = body.version; save(form, action, false); });
    box.append(theirs, overwrite);
  }
}

let previewTimer = null;
async function refreshPreview(form, withEdit) {
  const [status, body] = await post("/api/preview", form, withEdit ? {} : {msgid: ""});
  if (status !== 200) return;
  const target = document.getElementById("preview");
  const title = document.createElement("h1");
  title.className = "page-title";
  title.textContent = body.title;
  const template = document.createElement("template");
  template.innerHTML = body.html;  // cleaned by the site's sanitiser on the server; CSP forbids inline scripts
  target.replaceChildren(title, template.content);
}

document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form.entry")) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const action = event.submitter ? event.submitter.value : "approve";
      save(form, action, false);
    });
    const area = form.elements.msgstr;
    area.addEventListener("keydown", (event) => {
      const row = form.closest("tr.segment");
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        save(form, "approve", true);
      } else if (event.key === "Enter" && event.altKey) {
        event.preventDefault();
        save(form, "needs-work", false);
      } else if (event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
        event.preventDefault();
        focusRow(neighbour(row, event.key === "ArrowDown" ? 1 : -1));
      }
    });
    area.addEventListener("input", () => {
      clearTimeout(previewTimer);
      previewTimer = setTimeout(() => refreshPreview(form, true), 400);
    });
    const row = form.closest("tr.segment");
    const use = row.querySelector(".use-suggestion");
    if (use) use.addEventListener("click", () => {
      area.value = row.querySelector(".suggestion .text").textContent;
      area.focus();
    });
  }
  document.getElementById("preview").addEventListener("click", (event) => {
    if (event.target.closest("a")) event.preventDefault();  // the preview's links point into the built site
  });
  const first = rows().find((row) => !row.classList.contains("reviewed"));
  if (first) first.querySelector("textarea").focus({preventScroll: true});
});
