/* 待办: GET /queue with the filters (state, 专业类别, unit name or credit code, overdue only),
 * sorted by the time left, 20 a page; each row names who holds it (领取), says 已逾期 when late,
 * and says so under its 期限 when that was counted through a year whose 放假安排 is not loaded. */

import { standardInForce } from "../roster/standard.js";
import { deadlineText, element, emptyRow, Pager, send, timeText } from "./http.js";

const PAGE_SIZE = 20;
const COLUMNS = 9;
const TEXT = {
  empty: "暂无待办",
  failed: (message) => `待办加载失败：${message}`,
  total: (n) => `共 ${n} 项`,
  open: "办理",
  openName: (item) => `办理：${item.unit_name} ${item.application_type}`,
  nobody: "未领取",
  overdue: "已逾期",
  deemed: "视为受理",
  calendar: (years) => `${years.map((year) => `${year}年`).join("、")}放假安排尚未载入，期限暂按周末休息计算`,
};

export class ReviewQueue {
  constructor(root) {
    this.root = root;
    this.api = root.dataset.api;
    this.form = root.querySelector(".queue-filters");
    this.rows = root.querySelector(".queue-table tbody");
    this.error = root.querySelector(".queue-error");
    this.pager = new Pager(root.querySelector(".queue-pages"), (page) => this.show(page));
  }

  start() {
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.show(1);
    });
    this.form.addEventListener("reset", () => setTimeout(() => this.show(1)));
    this.loadCategories();
    return this.show(1);
  }

  async loadCategories() {
    try {
      const { categories } = await standardInForce(this.root.dataset.standards);
      this.form.elements.category.append(...categories.map((name) => element("option", { text: name, attributes: { value: name } })));
    } catch {
      /* the filter stays at 全部 */
    }
  }

  query(page) {
    const query = new URLSearchParams({ sort: "deadline", page: String(Math.max(1, page)), page_size: String(PAGE_SIZE) });
    for (const [name, value] of new FormData(this.form)) if (String(value).trim()) query.set(name, String(value).trim());
    return query;
  }

  async show(page) {
    try {
      const listing = await send(`${this.api}/queue?${this.query(page)}`);
      this.error.textContent = "";
      this.rows.replaceChildren(...(listing.items.length ? listing.items.map((item) => this.row(item)) : [emptyRow(TEXT.empty, COLUMNS)]));
      this.root.querySelector(".queue-total").textContent = TEXT.total(listing.total);
      this.pager.render(listing);
    } catch (refusal) {
      this.error.textContent = TEXT.failed(refusal.message);
      this.rows.replaceChildren(emptyRow("—", COLUMNS));
    }
  }

  row(item) {
    const deadline = [element("span", { text: deadlineText(item) })];
    if (item.deemed) deadline.push(element("span", { className: "tag tag-waiting", text: TEXT.deemed }));
    if (item.calendar_missing_years?.length) deadline.push(element("span", { className: "deadline-note", text: TEXT.calendar(item.calendar_missing_years) }));
    const open = element("a", { className: "button button-small", text: TEXT.open, attributes: { href: `/review/${encodeURIComponent(item.application_id)}`, "aria-label": TEXT.openName(item) } });
    return element("tr", { className: item.overdue ? "is-overdue" : "", attributes: { "data-work": item.application_id } }, [
      element("td", { className: "col-name", text: item.unit_name }),
      element("td", { text: item.credit_code }),
      element("td", { text: item.application_type }),
      element("td", { text: item.certificate_type }),
      element("td", { text: item.state_label }),
      element("td", { className: "col-date", text: timeText(item.submitted_at) }),
      element("td", { className: "col-deadline" }, deadline),
      element("td", { text: item.holder?.name ?? TEXT.nobody }),
      element("td", { className: "col-actions" }, [open]),
    ]);
  }
}
