/* ‘老人老办法’技术人员查询 (manual 5.5.1): the old system's staff under this unit's 统一社会信用代码.
 * The unit ticks people (on any page of the list) and 人员基本信息转移 makes them persons of its
 * roster, incomplete until their documents are attached; whoever is registered at another unit
 * (or whose number the rules now refuse) is reported by name with the reason. */

import { element, emptyRow, PAGE_SIZE, Pager, requestJson } from "./dom.js";

const TEXT = {
  loading: "正在加载…",
  empty: "旧系统中没有本单位的技术人员",
  failed: (message) => `查询失败：${message}`,
  pick: "请先勾选要转移的人员",
  choose: (name) => `选择${name}`,
  transferred: "已转移",
  waiting: "未转移",
  done: (names) => `已转移 ${names.length} 人：${names.join("、")}。请在人员列表中补充上传相关材料。`,
  refused: (count) => `${count} 人未能转移：`,
  refusal: (name, message) => `${name}：${message}`,
  none: "—",
};
const COLUMNS = ["name", "id_number_masked", "category", "title_level", "major"];

export class LegacyDialog {
  constructor(root, config, { onTransferred }) {
    this.config = config;
    this.onTransferred = onTransferred;
    this.dialog = root.querySelector(".legacy-dialog");
    this.rows = this.dialog.querySelector(".legacy-table tbody");
    this.all = this.dialog.querySelector("#legacy-all");
    this.status = this.dialog.querySelector(".legacy-status");
    this.error = this.dialog.querySelector(".legacy-error");
    this.transferButton = this.dialog.querySelector("[data-transfer]");
    this.pager = new Pager(this.dialog.querySelector(".legacy-pages"), (page) => this.show(page));
    this.ticked = new Set();
  }

  start() {
    this.transferButton.addEventListener("click", () => this.transfer());
    this.all.addEventListener("change", () => {
      for (const box of this.boxes()) {
        box.checked = this.all.checked;
        this.tick(box);
      }
    });
  }

  open() {
    this.ticked.clear();
    this.status.textContent = "";
    this.error.replaceChildren();
    return this.show(1);
  }

  boxes() {
    return [...this.rows.querySelectorAll("input[type=checkbox]:not(:disabled)")];
  }

  tick(box) {
    if (box.checked) this.ticked.add(box.value);
    else this.ticked.delete(box.value);
  }

  async show(page) {
    const query = new URLSearchParams({ page: String(Math.max(1, page)), page_size: String(PAGE_SIZE) });
    try {
      const listing = await requestJson(`${this.config.staffing}/legacy/persons?${query}`);
      const rows = listing.items.map((person) => this.row(person));
      this.rows.replaceChildren(...(rows.length ? rows : [emptyRow(TEXT.empty, COLUMNS.length + 2)]));
      this.pager.render(listing);
    } catch (refusal) {
      this.error.replaceChildren(TEXT.failed(refusal.message));
      this.rows.replaceChildren(emptyRow(TEXT.none, COLUMNS.length + 2));
    }
    const boxes = this.boxes();
    this.all.checked = boxes.length > 0 && boxes.every((box) => box.checked);
    this.all.disabled = !boxes.length;
  }

  row(person) {
    const box = element("input", { className: "check", attributes: { type: "checkbox", value: person.id, "aria-label": TEXT.choose(person.name) } });
    box.checked = this.ticked.has(person.id);
    box.disabled = person.transferred;
    box.addEventListener("change", () => this.tick(box));
    const state = person.transferred ? TEXT.transferred : TEXT.waiting;
    return element("tr", { className: person.transferred ? "is-transferred" : "" }, [
      element("td", { className: "col-check" }, [box]),
      ...COLUMNS.map((key) => element("td", { text: person[key] ?? TEXT.none })),
      element("td", { className: "col-state" }, [element("span", { className: `tag ${person.transferred ? "tag-complete" : "tag-waiting"}`, text: state })]),
    ]);
  }

  /* 人员基本信息转移 of everyone ticked; the list of the page shows them afterwards. */
  async transfer() {
    this.status.textContent = "";
    this.error.replaceChildren();
    if (!this.ticked.size) {
      this.error.replaceChildren(TEXT.pick);
      return;
    }
    this.transferButton.disabled = true;
    try {
      const result = await requestJson(`${this.config.staffing}/legacy/transfers`, { method: "POST", body: { ids: [...this.ticked] } });
      this.report(result);
      this.ticked.clear();
      await this.show(this.pager.page);
      this.onTransferred();
    } catch (refusal) {
      this.error.replaceChildren(refusal.message);
    } finally {
      this.transferButton.disabled = false;
    }
  }

  report({ transferred, refused }) {
    if (transferred.length) this.status.textContent = TEXT.done(transferred.map((person) => person.name));
    if (!refused.length) return;
    const items = refused.map((conflict) => element("li", { text: TEXT.refusal(conflict.name, conflict.message) }));
    this.error.replaceChildren(element("p", { className: "alert-message", text: TEXT.refused(refused.length) }), element("ul", { className: "alert-problems" }, items));
  }
}
