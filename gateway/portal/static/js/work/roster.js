/* 技术人员信息 / 技术装备信息 / 测绘业绩信息 inside a work (manual 5.5–5.7): the unit's roster from
 * staffing (the first page, how many there are and how many count), a link to the 单位信息 page
 * where it is edited, and 满足情况查看 evaluated for the 专业范围 this work requests (its 专业范围
 * page) through POST /api/staffing/fulfilment. */

import { showEvaluation } from "./standards.js";
import { element, emptyRow, send } from "./http.js";

const ROSTERS = {
  persons: { title: "技术人员信息", measure: "人", counted: "计入人数", columns: [["name", "姓名"], ["category", "人员类别"], ["title_level", "职称等级"], ["major", "专业"]] },
  equipment: { title: "技术装备信息", measure: "台（套）", counted: "计入数量", columns: [["type", "设备类型"], ["brand", "品牌"], ["model", "型号"], ["serial", "出厂编号"]] },
  projects: { title: "测绘业绩信息", measure: "个", counted: "计入项目数", columns: [["name", "项目名称"], ["category", "专业类别"], ["amount_wan", "合同金额（万元）"], ["completed_on", "完成/验收日期"]] },
};
const TEXT = {
  hint: (title) => `以下为本单位在“${title}”中登记的信息（前 20 条）。如需修改，请前往${title}页面编辑；核对无误后点击“保存”确认本页。`,
  total: (n, measure) => `共 ${n} ${measure}`,
  counted: (label, n) => `${label}：${n}`,
  failed: (message) => `列表加载失败：${message}`,
  state: { true: "完整", false: "不完整" },
  noScope: "本次工作没有“专业范围”页面，无需核验满足情况",
  pickFirst: "请先在“专业范围”页面选择拟申请的专业类别和等级并保存",
  evaluating: "正在核验…",
};

export class PageRoster {
  constructor(section, { api, staffing, workId }) {
    this.section = section;
    this.api = api;
    this.staffing = staffing;
    this.workId = workId;
    this.kind = null;
    this.hasScope = false;
    this.result = section.querySelector(".work-fulfilment");
    section.querySelector("[data-fulfilment]").addEventListener("click", () => this.evaluate());
  }

  async show(kind, { hasScope }) {
    this.kind = kind;
    this.hasScope = hasScope;
    this.section.hidden = !kind;
    this.result.hidden = true;
    if (!kind) return;
    const spec = ROSTERS[kind];
    this.section.querySelector(".roster-hint").textContent = TEXT.hint(spec.title);
    const edit = this.section.querySelector(".roster-edit");
    edit.href = `/roster/${kind}`;
    edit.textContent = `前往${spec.title}页面编辑`;
    this.section.querySelector("[data-fulfilment]").hidden = kind === "projects";
    await this.list(spec);
  }

  async list(spec) {
    const table = this.section.querySelector(".roster-table");
    table.querySelector("thead").replaceChildren(element("tr", {}, [...spec.columns.map(([, label]) => element("th", { text: label, attributes: { scope: "col" } })), element("th", { text: "状态", attributes: { scope: "col" } })]));
    const error = this.section.querySelector(".roster-load-error");
    try {
      const listing = await send(`${this.staffing}/${this.kind}?page=1&page_size=20`);
      error.textContent = "";
      const rows = listing.items.map((item) => element("tr", { className: item.complete ? "is-complete" : "is-incomplete" }, [...spec.columns.map(([key]) => element("td", { text: item[key] ?? "—" })), element("td", { text: TEXT.state[item.complete] })]));
      table.querySelector("tbody").replaceChildren(...(rows.length ? rows : [emptyRow(`暂无${spec.title}`, spec.columns.length + 1)]));
      this.section.querySelector(".roster-total").textContent = TEXT.total(listing.total, spec.measure);
      this.section.querySelector(".roster-counted").textContent = TEXT.counted(spec.counted, listing.counted);
    } catch (refusal) {
      error.textContent = TEXT.failed(refusal.message);
      table.querySelector("tbody").replaceChildren(emptyRow("—", spec.columns.length + 1));
    }
  }

  /* The levels this work requests: the saved 专业范围 page. */
  async requested() {
    const scope = await send(`${this.api}/works/${encodeURIComponent(this.workId)}/pages/scope`);
    return (scope.values.levels ?? []).map((item) => ({ category: item.category, level: item.level }));
  }

  async evaluate() {
    const verdict = this.result.querySelector(".fulfilment-verdict");
    const tables = this.result.querySelector(".fulfilment-tables");
    this.result.hidden = false;
    tables.replaceChildren();
    verdict.className = "fulfilment-verdict";
    if (!this.hasScope) {
      verdict.textContent = TEXT.noScope;
      return;
    }
    verdict.textContent = TEXT.evaluating;
    try {
      const requests = await this.requested();
      if (!requests.length) {
        verdict.textContent = TEXT.pickFirst;
        return;
      }
      showEvaluation(await send(`${this.staffing}/fulfilment`, { method: "POST", body: { requests } }), verdict, tables);
    } catch (refusal) {
      verdict.textContent = refusal.message;
    }
    this.result.querySelector(".section-title").focus();
  }
}
