/* 专业技术人员 / 技术装备满足情况查看 (manual 5.5.5, 5.6.3): the unit picks 专业类别 and 等级 of the
 * standard in force; the staffing service evaluates its countable roster (POST /fulfilment) and
 * the page shows every requirement of each — passes included, gaps in red — with the overall
 * verdict on top. */

import { element, emptyRow, requestJson } from "./dom.js";
import { standardInForce } from "./standard.js";

const MAX_REQUESTS = 20;
const TEXT = {
  pick: "请至少选择一个专业类别和等级",
  tooMany: `一次最多选择${MAX_REQUESTS}项`,
  standardFailed: (message) => `资质标准加载失败：${message}`,
  choice: (category, level) => `${category}${level}`,
  category: "专业类别",
  evaluating: "正在核验…",
  overall: {
    pass: "核验结果：满足所选专业类别和等级的要求",
    fail: "核验结果：未达到所选专业类别和等级的要求，请查看标红的项目",
    incomplete: "核验结果：部分要求暂无法核验，请以主管部门审查结果为准",
  },
  status: { pass: "满足", fail: "不满足", incomplete: "无法核验", not_available: "不设此等级" },
  kind: { level: "资质等级", staff: "专业技术人员", equipment: "技术装备", performance: "测绘业绩" },
  headings: ["核验项", "要求", "实际", "结果", "说明"],
  none: "—",
  noRequirement: "无具体要求",
};

export class FulfilmentDialog {
  constructor(root, config) {
    this.config = config;
    this.dialog = root.querySelector(".fulfilment-dialog");
    this.form = this.dialog.querySelector(".fulfilment-form");
    this.choices = this.form.querySelector(".choice-table");
    this.error = this.form.querySelector(".field-error");
    this.submitButton = this.form.querySelector('button[type="submit"]');
    this.result = this.dialog.querySelector(".fulfilment-result");
    this.verdict = this.result.querySelector(".fulfilment-verdict");
    this.tables = this.result.querySelector(".fulfilment-tables");
    this.loaded = false;
  }

  start() {
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.evaluate();
    });
    this.form.addEventListener("change", () => {
      this.error.textContent = "";
    });
  }

  async open() {
    if (this.loaded) return;
    try {
      const standard = await standardInForce(this.config.standards);
      this.renderChoices(standard);
      this.loaded = true;
    } catch (refusal) {
      this.error.textContent = TEXT.standardFailed(refusal.message);
    }
  }

  /* A row per 专业类别, a checkbox per 等级 (named "大地测量甲级" for a screen reader). */
  renderChoices({ categories, levels }) {
    const head = this.choices.querySelector("thead tr");
    head.replaceChildren(element("th", { text: TEXT.category, attributes: { scope: "col" } }), ...levels.map((level) => element("th", { text: level, attributes: { scope: "col" } })));
    const rows = categories.map((category) =>
      element("tr", {}, [
        element("th", { text: category, attributes: { scope: "row" } }),
        ...levels.map((level) => {
          const box = element("input", { className: "check", attributes: { type: "checkbox", "aria-label": TEXT.choice(category, level) } });
          box.dataset.category = category;
          box.dataset.level = level;
          return element("td", { className: "col-check" }, [box]);
        }),
      ]),
    );
    this.choices.querySelector("tbody").replaceChildren(...(rows.length ? rows : [emptyRow(TEXT.none, 1)]));
  }

  picked() {
    return [...this.choices.querySelectorAll("input[type=checkbox]:checked")].map((box) => ({
      category: box.dataset.category,
      level: box.dataset.level,
    }));
  }

  async evaluate() {
    const requests = this.picked();
    if (!requests.length || requests.length > MAX_REQUESTS) {
      this.error.textContent = requests.length ? TEXT.tooMany : TEXT.pick;
      this.choices.querySelector("input[type=checkbox]")?.focus();
      return;
    }
    this.submitButton.disabled = true;
    this.verdict.textContent = TEXT.evaluating;
    try {
      const evaluation = await requestJson(`${this.config.staffing}/fulfilment`, { method: "POST", body: { requests } });
      this.render(evaluation);
    } catch (refusal) {
      this.verdict.textContent = "";
      this.result.hidden = true;
      this.error.textContent = refusal.message;
    } finally {
      this.submitButton.disabled = false;
    }
  }

  render(evaluation) {
    this.result.hidden = false;
    this.verdict.textContent = TEXT.overall[evaluation.overall] ?? evaluation.overall;
    this.verdict.className = `fulfilment-verdict is-${evaluation.overall}`;
    this.tables.replaceChildren(...evaluation.results.map((result) => resultTable(result)));
    this.result.querySelector(".section-title").focus();
  }
}

/* One requested 专业类别 and 等级: every requirement, a failed one in red. */
export function resultTable(result) {
  const status = TEXT.status[result.status] ?? result.status;
  const caption = element("caption", { className: `is-${result.status}`, text: `${result.category} ${result.level}：${status}` });
  const head = element("thead", {}, [element("tr", {}, TEXT.headings.map((text) => element("th", { text, attributes: { scope: "col" } })))]);
  const rows = result.requirements.map((requirement) => requirementRow(requirement));
  if (!rows.length) rows.push(emptyRow(TEXT.noRequirement, TEXT.headings.length));
  return element("table", { className: `data-table fulfilment-table is-${result.status}` }, [caption, head, element("tbody", {}, rows)]);
}

function requirementRow(requirement) {
  const status = TEXT.status[requirement.status] ?? requirement.status;
  return element("tr", { className: `is-${requirement.status}`, attributes: { "data-requirement": requirement.id } }, [
    element("th", { text: TEXT.kind[requirement.kind] ?? requirement.kind, attributes: { scope: "row" } }),
    element("td", { text: figure(requirement.required, requirement.unit) }),
    element("td", { text: figure(requirement.actual, requirement.unit) }),
    element("td", { className: "col-result" }, [element("span", { className: `tag tag-${requirement.status}`, text: status })]),
    element("td", { text: requirement.message }),
  ]);
}

function figure(value, unit) {
  if (value === null || value === undefined) return TEXT.none;
  return `${value}${unit ? ` ${unit}` : ""}`;
}
