/* Helpers shared by the 单位信息 pages: DOM building (text only, never HTML), JSON requests
 * through the gateway with the page's CSRF token, refusals, dialogs and pagers. */

export const PAGE_SIZE = 20;

const NETWORK = "网络连接中断，请检查网络后重试";
const UNAVAILABLE = "服务暂时不可用，请稍后再试";

export function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

/* An element with a class, a text (set as text) and attributes, holding ``children``. */
export function element(tag, { className, text, attributes } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attributes ?? {})) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/* A button whose accessible name carries the entry it acts on (``编辑：张三``; the visible word
 * starts the name, so speech input finds it). */
export function rowButton(label, entryName, className) {
  return element("button", { className, text: label, attributes: { type: "button", "aria-label": `${label}：${entryName}` } });
}

/* The ErrorBody {code, message, details} of a refusal, or a stand-in when there is none. */
export function refusalOf(status, text) {
  try {
    const body = JSON.parse(text);
    if (body && typeof body.message === "string") return body;
  } catch {
    /* not JSON: fall through */
  }
  return { code: `http_${status}`, message: UNAVAILABLE, details: null };
}

/* GET (or another method with a JSON ``body``); the parsed answer, or throws the refusal. */
export async function requestJson(url, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRF-Token"] = csrfToken();
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw { code: "network", message: NETWORK, details: null };
  }
  const text = response.status === 204 ? "" : await response.text();
  if (!response.ok) throw refusalOf(response.status, text);
  return text ? JSON.parse(text) : null;
}

/* The JSON paths a refusal names, with their own words when it gives them:
 * {field: "$.x"} (a domain refusal) or [{field, problem}] (the request's shape). */
export function refusedFields(refusal) {
  const details = refusal?.details;
  if (details && typeof details.field === "string") return [{ path: details.field, message: refusal.message }];
  if (!Array.isArray(details)) return [];
  return details
    .filter((item) => item && typeof item.field === "string" && item.field)
    .map((item) => ({ path: item.field, message: item.problem || refusal.message }));
}

/* "$.documents[2].document_id" → {name: "documents", index: 2}; "$.id_number" → {name: "id_number"}. */
export function fieldOf(path) {
  const found = /^\$\.([A-Za-z_]+)(?:\[(\d+)\])?/.exec(path ?? "");
  if (!found) return null;
  return { name: found[1], index: found[2] === undefined ? null : Number(found[2]) };
}

/* Show ``dialog`` modally; when it closes, focus goes back to ``opener`` (if still there). */
export function openModal(dialog, opener) {
  dialog.addEventListener(
    "close",
    () => {
      if (opener?.isConnected) opener.focus();
    },
    { once: true },
  );
  if (!dialog.open) dialog.showModal();
}

/* 上一页 / 下一页 of a paged list. */
export class Pager {
  constructor(nav, onPage) {
    this.nav = nav;
    this.page = 1;
    nav.addEventListener("click", (event) => {
      const step = event.target.closest("button")?.dataset.page;
      if (step) onPage(this.page + (step === "next" ? 1 : -1));
    });
  }

  render({ page, page_size: size, total }) {
    const pages = Math.max(1, Math.ceil(total / size));
    this.page = page;
    this.nav.hidden = pages <= 1;
    this.nav.querySelector(".roster-page-text").textContent = `第 ${page} / ${pages} 页`;
    this.nav.querySelector('[data-page="previous"]').disabled = page <= 1;
    this.nav.querySelector('[data-page="next"]').disabled = page >= pages;
  }
}

/* One row saying there is nothing (or why nothing could be loaded). */
export function emptyRow(text, columns) {
  return element("tr", { className: "empty-row" }, [element("td", { text, attributes: { colspan: String(columns) } })]);
}

/* Today as YYYY-MM-DD in Beijing (../beijing.js). */
export { today } from "../beijing.js";

/* What one entry is called in messages and in its buttons' names. */
export function entryName(kind, item) {
  if (kind === "equipment") return `${item.type} ${item.serial}`;
  return item.name;
}
