/* Requests of the applications pages through the gateway: JSON with the page's CSRF token, the
 * headers a workflow step needs (Idempotency-Key, If-Match), and refusals as the service's
 * ErrorBody {code, message, details}. DOM helpers are the 单位信息 pages' (../roster/dom.js). */

import { csrfToken, refusalOf } from "../roster/dom.js";

export { element, emptyRow, openModal, Pager } from "../roster/dom.js";
export { timeText } from "../beijing.js";

export const APPLICATIONS = "/api/applications";
export const STALE = "该申请已被他人处理，请刷新后查看";
const NETWORK = "网络连接中断，请检查网络后重试";

/* The parsed answer (null for 204), or throws the refusal with its ``status``. */
export async function send(url, { method = "GET", body, headers = {} } = {}) {
  const sent = { Accept: "application/json", ...headers };
  if (method !== "GET") sent["X-CSRF-Token"] = csrfToken();
  if (body !== undefined) sent["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(url, { method, headers: sent, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw { status: 0, code: "network", message: NETWORK, details: null };
  }
  const text = response.status === 204 ? "" : await response.text();
  if (!response.ok) throw { status: response.status, ...refusalOf(response.status, text) };
  return text ? JSON.parse(text) : null;
}

/* A fresh Idempotency-Key: one per click, so a retry of the same click is safe. */
export function idempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16)); // randomUUID needs a secure context
  return [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/* What the unit or the authority reads as the deadline of the current step. */
export function deadlineText(deadlines) {
  if (!deadlines?.deadline) return "—";
  const left = deadlines.working_days_left;
  if (deadlines.overdue) return `${deadlines.deadline}（已逾期）`;
  return left === null || left === undefined ? deadlines.deadline : `${deadlines.deadline}（剩余 ${left} 个工作日）`;
}
