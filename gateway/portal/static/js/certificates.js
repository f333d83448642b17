/* 我的资质证书 (templates/certificates_mine.html): the unit's certificates from
 * GET /api/registry/certificates/mine, each with its 电子证书 download; a certificate whose
 * validity ends within the 延续 lead time (``expiring_soon``) is named in the warning above the
 * list and marked 即将到期 in its row. */

import { categoryList, statusTag } from "./certificate-view.js";
import { element, emptyRow, requestJson } from "./roster/dom.js";

const COLUMNS = 7;
const TEXT = {
  empty: "暂无资质证书",
  failed: (message) => `证书列表加载失败：${message}`,
  total: (count) => `共 ${count} 本`,
  expiring: "即将到期",
  download: "下载电子证书",
  legacy: "原证书，无电子证书",
  expiringItem: (item) => `${item.number}（${item.certificate_type}）有效期至 ${item.valid_until}`,
};

function downloadCell(api, item) {
  if (item.regime !== "2021") return element("span", { className: "muted", text: TEXT.legacy });
  const href = `${api}/certificates/${encodeURIComponent(item.number)}/pdf`;
  return element("a", {
    text: TEXT.download,
    attributes: { href, download: `${item.number}.pdf`, "aria-label": `${TEXT.download}：${item.number}` },
  });
}

function row(api, item) {
  const validity = [document.createTextNode(item.valid_until)];
  if (item.expiring_soon) validity.push(element("span", { className: "tag tag-expiring", text: TEXT.expiring }));
  return element("tr", { className: item.expiring_soon ? "is-expiring" : "", attributes: { "data-number": item.number } }, [
    element("td", { text: item.number }),
    element("td", { text: item.certificate_type }),
    element("td", { text: item.level }),
    element("td", {}, [categoryList(item.categories)]),
    element("td", { className: "col-date" }, validity),
    element("td", {}, [statusTag(item.status)]),
    element("td", { className: "col-actions" }, [downloadCell(api, item)]),
  ]);
}

async function start(root) {
  const api = root.dataset.api;
  const rows = root.querySelector("tbody");
  const error = root.querySelector(".certificates-error");
  try {
    const { items } = await requestJson(`${api}/certificates/mine`);
    rows.replaceChildren(...(items.length ? items.map((item) => row(api, item)) : [emptyRow(TEXT.empty, COLUMNS)]));
    root.querySelector(".certificates-total").textContent = TEXT.total(items.length);
    const expiring = items.filter((item) => item.expiring_soon);
    root.querySelector(".certificates-expiring").replaceChildren(...expiring.map((item) => element("li", { text: TEXT.expiringItem(item) })));
    root.querySelector(".certificates-warning").hidden = !expiring.length;
  } catch (refusal) {
    error.textContent = TEXT.failed(refusal.message);
    rows.replaceChildren(emptyRow("—", COLUMNS));
  }
}

const root = document.querySelector("[data-certificates]");
if (root) start(root);
