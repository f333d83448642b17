/* 办理进度 and 审批记录 (manual 4.4) of one work: its state and statutory deadlines from GET
 * /works/{id}/workflow, and every submission and transition from GET /works/{id}/records, oldest
 * first — actor, role, time, opinion, 退回补齐 / 不予批准 reasons and the notice that came with them. */

import { deadlineText, element, emptyRow, send, timeText } from "./http.js";

export async function loadProgress(root, api, id) {
  const base = `${api}/works/${encodeURIComponent(id)}`;
  const [status, records] = await Promise.all([send(`${base}/workflow`), send(`${base}/records`)]);
  showProgress(root.querySelector(".work-progress"), status);
  showRecords(root.querySelector(".work-records"), records);
  return status;
}

export function showProgress(card, status) {
  const d = status.deadlines ?? {};
  const facts = {
    state: status.state_label,
    submitted_on: d.submitted_on,
    accept_due: d.accept_due,
    accepted_on: d.accepted_on ? `${d.accepted_on}${d.deemed ? "（视为受理）" : ""}` : null,
    decision_due: d.decision_due ? `${d.decision_due}${d.extended ? "（已延期）" : ""}` : null,
    deadline: d.deadline ? deadlineText(d) : null,
  };
  for (const [key, value] of Object.entries(facts)) card.querySelector(`[data-fact="${key}"]`).textContent = value ?? "—";
  card.querySelector('[data-fact="deadline"]').classList.toggle("is-overdue", Boolean(d.overdue));
  const warning = card.querySelector(".calendar-warning");
  warning.textContent = d.calendar_warning ?? "";
  warning.hidden = !d.calendar_warning;
  card.hidden = false;
}

export function showRecords(card, records) {
  const rows = records.items.map((record) =>
    element("tr", { attributes: { "data-record": String(record.id) } }, [
      element("td", {}, [element("time", { text: timeText(record.recorded_at), attributes: { datetime: record.recorded_at } })]),
      element("td", { text: record.action_label }),
      element("td", { text: [record.authority_name, record.actor_name].filter(Boolean).join(" ") }),
      element("td", { text: record.actor_role_label }),
      element("td", { text: record.to_state_label ?? stateOf(record) }),
      element("td", {}, opinionOf(record)),
    ]),
  );
  card.querySelector("tbody").replaceChildren(...(rows.length ? rows : [emptyRow("暂无记录", 6)]));
  card.hidden = false;
}

const STATES = { draft: "填报中", submitted: "已提交", returned: "退回补齐", accepted: "已受理", approved: "已批准", refused: "不予批准", withdrawn: "已撤回" };

function stateOf(record) {
  return STATES[record.to_state] ?? record.to_state;
}

function opinionOf(record) {
  const parts = [];
  if (record.notice) parts.push(element("p", { className: "record-notice", text: record.notice }));
  if (record.opinion) parts.push(element("p", { text: record.opinion }));
  if (record.reasons?.length) parts.push(element("ol", { className: "record-reasons" }, record.reasons.map((reason) => element("li", { text: reason }))));
  if (!parts.length) parts.push(document.createTextNode("—"));
  return parts;
}
