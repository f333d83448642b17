/* 退回补齐 as the unit must not miss it (WorkSummary.return_notice): 已退回补齐, the authority's
 * notice, its opinion, every reason, and the pages concerned. The 工作列表 and 信息填报 both show it. */

import { element, timeText } from "./http.js";

const TEXT = {
  heading: "已退回补齐",
  by: (notice) => `${notice.authority_name ?? "主管部门"} ${timeText(notice.returned_at)}`,
  reasons: "需补正的内容：",
  pages: (titles) => `涉及页面：${titles.join("、")}（修改后请重新保存，再提交）`,
  opinion: (text) => `意见：${text}`,
};

/* The notice's parts: a heading of ``level`` and the authority's words, all as text. */
export function returnNoticeParts(notice, { level = 2, headingId } = {}) {
  const heading = element(`h${level}`, { className: "returned-title", text: TEXT.heading, attributes: headingId ? { id: headingId } : {} });
  const parts = [heading, element("p", { className: "returned-by", text: TEXT.by(notice) })];
  if (notice.notice) parts.push(element("p", { className: "returned-text", text: notice.notice }));
  if (notice.opinion) parts.push(element("p", { text: TEXT.opinion(notice.opinion) }));
  if (notice.reasons.length) {
    parts.push(element("p", { text: TEXT.reasons }), element("ol", { className: "returned-reasons" }, notice.reasons.map((reason) => element("li", { text: reason }))));
  }
  if (notice.pages.length) parts.push(element("p", { className: "returned-pages", text: TEXT.pages(notice.pages) }));
  return parts;
}
