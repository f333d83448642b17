/* How the 证书登记 pages show a certificate (certificates.js, verify.js, register.js): its
 * 专业类别, its 状态 as a tag (said in words, the colour only repeats it) and the public fields
 * (contracts.registry.api.PublicCertificate). Every server text is set as text, never as HTML. */

import { element } from "./roster/dom.js";

export const NOT_FOUND = "未查询到该证书";
const NONE = "—";
const STATUS_CLASS = { 有效: "valid", 已注销: "cancelled", 已过期: "expired", 已换证: "replaced" };

/* "工程测量 甲级（测量、…）" per category, one a line. */
export function categoryList(categories) {
  if (!categories?.length) return document.createTextNode(NONE);
  return element(
    "ul",
    { className: "category-list" },
    categories.map((item) => {
      const subItems = item.sub_items?.length ? `（${item.sub_items.join("、")}）` : "";
      return element("li", { text: `${item.category} ${item.level}${subItems}` });
    }),
  );
}

/* The certificate's 状态 as a tag. */
export function statusTag(status) {
  return element("span", { className: `tag tag-status tag-${STATUS_CLASS[status] ?? "other"}`, text: status });
}

/* A description list of label → value (a string, or a node for richer values). */
export function details(pairs) {
  const items = [];
  for (const [label, value] of pairs) {
    items.push(element("dt", { text: label }));
    const shown = value === null || value === undefined || value === "" ? NONE : value;
    items.push(element("dd", {}, [typeof shown === "string" || typeof shown === "number" ? String(shown) : shown]));
  }
  return element("dl", { className: "certificate-details" }, items);
}

/* What anyone may read about a number (nothing personal). */
export function publicDetails(certificate) {
  return details([
    ["证书编号", certificate.number],
    ["单位名称", certificate.unit_name],
    ["证书类型", certificate.certificate_type],
    ["资质等级", certificate.level],
    ["专业类别", categoryList(certificate.categories)],
    ["发证机关", certificate.authority_name],
    ["发证日期", certificate.issued_on],
    ["有效期至", certificate.valid_until],
    ["状态", statusTag(certificate.status)],
  ]);
}

/* Whether a refusal is the register's (or the router's) "no such certificate". */
export function isNotFound(refusal) {
  return refusal?.code === "registry.certificate_not_found" || /not_found$/.test(refusal?.code ?? "") || refusal?.code === "http_404";
}
