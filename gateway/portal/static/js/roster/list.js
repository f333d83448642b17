/* The list of a 单位信息 page: a page of 20 entries, how many count, and per entry 编辑 and
 * 移除 / 删除. An incomplete entry is shown in another colour, says 不完整 and lists why
 * (problems[].message); it does not count (manual 5.5.2). */

import { element, emptyRow, entryName, PAGE_SIZE, Pager, requestJson, rowButton } from "./dom.js";

const TEXT = {
  empty: (noun) => `暂无${noun}信息，请点击“添加”`,
  failed: (message) => `列表加载失败：${message}`,
  total: (total, measure) => `共 ${total} ${measure}`,
  counted: (label, counted) => `${label}：${counted}`,
  complete: "完整",
  incomplete: "不完整",
  legacy: "老人老办法转入",
  edit: "编辑",
  yes: "是",
  no: "否",
  none: "—",
};

export class RosterList {
  constructor(root, config) {
    this.root = root;
    this.config = config;
    this.section = root.querySelector(".roster-list");
    this.heading = this.section.querySelector(".card-title");
    this.rows = this.section.querySelector(".roster-table tbody");
    this.columns = [...this.section.querySelectorAll(".roster-table th[data-key]")].map((th) => ({
      key: th.dataset.key,
      format: th.dataset.format,
    }));
    this.status = this.section.querySelector(".roster-status");
    this.error = this.section.querySelector(".roster-error");
    this.total = this.section.querySelector(".roster-total");
    this.counted = this.section.querySelector(".roster-counted");
    this.filters = this.section.querySelector(".roster-filters");
    this.pager = new Pager(this.section.querySelector(".roster-pages"), (page) => this.show(page));
    this.onEdit = () => {};
    this.onRemove = () => {};
  }

  start() {
    this.filters?.addEventListener("submit", (event) => {
      event.preventDefault();
      this.show(1);
    });
    this.filters?.addEventListener("reset", () => setTimeout(() => this.show(1)));
    return this.show(1);
  }

  refresh() {
    return this.show(this.pager.page);
  }

  say(message) {
    this.status.textContent = message;
  }

  focusHeading() {
    this.heading.focus();
  }

  query(page) {
    const query = new URLSearchParams({ page: String(Math.max(1, page)), page_size: String(PAGE_SIZE) });
    for (const [name, value] of new FormData(this.filters ?? undefined)) {
      if (String(value).trim()) query.set(name, String(value).trim());
    }
    return query;
  }

  async show(page) {
    try {
      let listing = await requestJson(`${this.config.api}?${this.query(page)}`);
      if (!listing.items.length && listing.page > 1 && listing.total > 0) {
        listing = await requestJson(`${this.config.api}?${this.query(Math.ceil(listing.total / PAGE_SIZE))}`);
      }
      this.error.textContent = "";
      this.render(listing);
    } catch (refusal) {
      this.error.textContent = TEXT.failed(refusal.message);
      this.rows.replaceChildren(emptyRow(TEXT.none, this.columns.length + 2));
    }
  }

  render(listing) {
    const rows = listing.items.map((item) => this.row(item));
    if (!rows.length) rows.push(emptyRow(TEXT.empty(this.config.noun), this.columns.length + 2));
    this.rows.replaceChildren(...rows);
    this.total.textContent = TEXT.total(listing.total, this.config.measure);
    this.counted.textContent = TEXT.counted(this.config.countedLabel, listing.counted);
    this.pager.render(listing);
  }

  row(item) {
    const name = entryName(this.config.roster, item);
    const cells = this.columns.map(({ key, format }) => element("td", { text: shown(item[key], format) }));
    const edit = rowButton(TEXT.edit, name, "link-button is-edit");
    edit.addEventListener("click", () => this.onEdit(item, edit));
    const remove = rowButton(this.config.removeLabel, name, "link-button");
    remove.addEventListener("click", () => this.onRemove(item, remove));
    return element(
      "tr",
      { className: item.complete ? "is-complete" : "is-incomplete", attributes: { "data-entry": item.id } },
      [...cells, element("td", { className: "col-state" }, stateOf(item)), element("td", { className: "col-actions" }, [edit, remove])],
    );
  }
}

function shown(value, format) {
  if (value === null || value === undefined || value === "") return TEXT.none;
  if (format === "bool") return value ? TEXT.yes : TEXT.no;
  return String(value);
}

/* 完整, or 不完整 with every reason; a person transferred from the old system says so. */
function stateOf(item) {
  const parts = [
    element("span", {
      className: `tag ${item.complete ? "tag-complete" : "tag-incomplete"}`,
      text: item.complete ? TEXT.complete : TEXT.incomplete,
    }),
  ];
  if (item.source === "老人老办法") parts.push(element("span", { className: "tag tag-legacy", text: TEXT.legacy }));
  if (!item.complete && item.problems?.length) {
    parts.push(element("ul", { className: "problem-list" }, item.problems.map((problem) => element("li", { text: problem.message }))));
  }
  return parts;
}
