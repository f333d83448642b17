/* The standards' Evaluation (contracts/standards/api.py) as the unit and the reviewer read it:
 * the overall verdict, then one table per 专业类别 and 等级 with every requirement, the failures
 * in red (the 满足情况 tables of the 单位信息 pages). */

import { resultTable } from "../roster/fulfilment.js";
import { element } from "./http.js";

const VERDICT = {
  pass: "核验结果：满足所申请专业类别和等级的要求",
  fail: "核验结果：未达到所申请专业类别和等级的要求，请查看标红的项目",
  incomplete: "核验结果：部分要求暂无法核验，请以主管部门审查结果为准",
};

export function verdictText(overall) {
  return VERDICT[overall] ?? overall ?? "—";
}

/* Writes ``evaluation`` into ``verdict`` (an element with role="status") and ``tables``. */
export function showEvaluation(evaluation, verdict, tables) {
  verdict.textContent = verdictText(evaluation.overall);
  verdict.className = `fulfilment-verdict is-${evaluation.overall}`;
  tables.replaceChildren(...evaluation.results.map((result) => resultTable(result)));
}

/* A standalone block: verdict and tables, for the 提交 refusal and the review screen. */
export function evaluationBlock(evaluation) {
  const verdict = element("p", { className: "fulfilment-verdict" });
  const tables = element("div", { className: "fulfilment-tables" });
  showEvaluation(evaluation, verdict, tables);
  return element("div", { className: "evaluation-block" }, [verdict, tables]);
}
