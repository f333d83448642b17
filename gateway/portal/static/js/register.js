/* 资质证书登记 (templates/register_list.html and register_detail.html), for an authority: the
 * register of its jurisdiction from GET /api/registry/register (filters, 20 a page), the CSV
 * export of the same search, and one certificate from GET /api/registry/register/{number} with
 * its version history and 电子证书. The search is kept in the address (/registry?…), so a
 * detail's 返回 and a reload show the same page. */

import { NOT_FOUND, categoryList, details, isNotFound, statusTag } from "./certificate-view.js";
import { standardInForce } from "./roster/standard.js";
import { element, emptyRow, fieldOf, PAGE_SIZE, Pager, refusedFields, requestJson } from "./roster/dom.js";

const COLUMNS = 7;
const VERSION_COLUMNS = 9;
const TEXT = {
  empty: "没有符合条件的证书",
  failed: (message) => `证书列表加载失败：${message}`,
  total: (total) => `共 ${total} 本`,
  download: "下载电子证书",
  noPdf: "原证书，无电子证书",
  version: (n) => `第 ${n} 版`,
  current: "现行版本",
  void: "已作废（已补发新证）",
  earlier: "历史版本",
};

/* --- the register ------------------------------------------------------------------------- */

class RegisterList {
  constructor(root) {
    this.api = root.dataset.api;
    this.form = root.querySelector(".register-filters");
    this.rows = root.querySelector(".registry-table tbody");
    this.error = root.querySelector(".register-error");
    this.total = root.querySelector(".register-total");
    this.exportLink = root.querySelector(".register-export");
    this.pager = new Pager(root.querySelector(".register-pages"), (page) => this.show(page));
  }

  start() {
    const wanted = new URLSearchParams(location.search);
    for (const control of this.form.elements) {
      if (control.name && wanted.has(control.name)) control.value = wanted.get(control.name);
    }
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.show(1);
    });
    this.form.addEventListener("reset", () => setTimeout(() => this.show(1)));
    standardInForce("/api/standards/standards")
      .then((standard) => this.offerCategories(standard.categories))
      .catch(() => {}); // the field still takes a typed 专业类别
    return this.show(Number(wanted.get("page")) || 1);
  }

  offerCategories(categories) {
    const list = this.form.querySelector("datalist");
    list.replaceChildren(...categories.map((name) => element("option", { attributes: { value: name } })));
  }

  filters() {
    const query = new URLSearchParams();
    for (const [name, value] of new FormData(this.form)) {
      if (String(value).trim()) query.set(name, String(value).trim());
    }
    return query;
  }

  async show(page) {
    const filters = this.filters();
    const query = new URLSearchParams(filters);
    query.set("page", String(Math.max(1, page)));
    query.set("page_size", String(PAGE_SIZE));
    this.clearErrors();
    this.exportLink.href = `${this.api}/register.csv${filters.size ? `?${filters}` : ""}`;
    try {
      const listing = await requestJson(`${this.api}/register?${query}`);
      const kept = new URLSearchParams(filters);
      if (listing.page > 1) kept.set("page", String(listing.page));
      history.replaceState(null, "", `/registry${kept.size ? `?${kept}` : ""}`);
      this.render(listing);
    } catch (refusal) {
      this.refused(refusal);
    }
  }

  render(listing) {
    const rows = listing.items.map((item) => row(item));
    this.rows.replaceChildren(...(rows.length ? rows : [emptyRow(TEXT.empty, COLUMNS)]));
    this.total.textContent = TEXT.total(listing.total);
    this.pager.render(listing);
  }

  clearErrors() {
    this.error.textContent = "";
    for (const message of this.form.querySelectorAll("[data-error-for]")) {
      message.textContent = "";
      this.form.elements[message.dataset.errorFor]?.removeAttribute("aria-invalid");
    }
  }

  /* A refused filter is named next to its field; anything else above the list. */
  refused(refusal) {
    let placed = false;
    for (const { path, message } of refusedFields(refusal)) {
      const name = fieldOf(path)?.name;
      const slot = name && this.form.querySelector(`[data-error-for="${name}"]`);
      if (!slot) continue;
      slot.textContent = message;
      this.form.elements[name].setAttribute("aria-invalid", "true");
      placed = true;
    }
    this.error.textContent = TEXT.failed(placed ? "请按提示修改筛选条件" : refusal.message);
    this.rows.replaceChildren(emptyRow("—", COLUMNS));
  }
}

function row(item) {
  const link = element("a", { text: item.number, attributes: { href: `/registry/${encodeURIComponent(item.number)}` } });
  return element("tr", { attributes: { "data-number": item.number } }, [
    element("td", {}, [link]),
    element("td", { text: item.unit_name }),
    element("td", { text: item.credit_code }),
    element("td", { text: item.certificate_type }),
    element("td", {}, [categoryList(item.categories)]),
    element("td", { className: "col-date", text: item.valid_until }),
    element("td", {}, [statusTag(item.status)]),
  ]);
}

/* --- one certificate ------------------------------------------------------------------------ */

function summary(certificate) {
  const pairs = [
    ["证书编号", certificate.number],
    ["证书类型", certificate.certificate_type],
    ["资质等级", certificate.level],
    ["单位名称", certificate.unit_name],
    ["统一社会信用代码", certificate.credit_code],
    ["注册地址", certificate.registered_address],
    ["法定代表人", certificate.legal_representative],
    ["专业类别", categoryList(certificate.categories)],
    ["发证机关", certificate.authority_name],
    ["发证日期", certificate.issued_on],
    ["有效期至", certificate.valid_until],
    ["状态", statusTag(certificate.status)],
    ["现行版本", TEXT.version(certificate.current_version)],
  ];
  if (certificate.cancelled_on) pairs.push(["注销日期", certificate.cancelled_on], ["注销原因", certificate.cancel_reason]);
  if (certificate.replaced_by) {
    const link = element("a", { text: certificate.replaced_by, attributes: { href: `/registry/${encodeURIComponent(certificate.replaced_by)}` } });
    pairs.push(["换发新证", link]);
  }
  return details(pairs);
}

function versionRow(version, current) {
  const note = version.void ? TEXT.void : version.version === current ? TEXT.current : TEXT.earlier;
  return element("tr", { className: version.void ? "is-void" : "", attributes: { "data-version": String(version.version) } }, [
    element("td", { text: TEXT.version(version.version) }),
    element("td", { text: version.kind }),
    element("td", { className: "col-date", text: version.issued_on }),
    element("td", { text: version.unit_name }),
    element("td", { text: version.registered_address }),
    element("td", { text: version.legal_representative }),
    element("td", {}, [categoryList(version.categories)]),
    element("td", { text: version.authority_name }),
    element("td", { text: note }),
  ]);
}

function download(api, certificate) {
  if (certificate.regime !== "2021") return element("span", { className: "muted", text: TEXT.noPdf });
  const href = `${api}/certificates/${encodeURIComponent(certificate.number)}/pdf`;
  return element("a", { className: "button button-small", text: TEXT.download, attributes: { href, download: `${certificate.number}.pdf` } });
}

async function showDetail(root) {
  const api = root.dataset.api;
  const body = root.querySelector(".detail-body");
  const versions = root.querySelector(".versions-table tbody");
  try {
    const certificate = await requestJson(`${api}/register/${encodeURIComponent(root.dataset.number)}`);
    body.replaceChildren(summary(certificate));
    root.querySelector(".detail-download").replaceChildren(download(api, certificate));
    versions.replaceChildren(...certificate.versions.map((version) => versionRow(version, certificate.current_version)));
  } catch (refusal) {
    root.querySelector(".detail-error").textContent = isNotFound(refusal) ? NOT_FOUND : refusal.message;
    body.replaceChildren(element("p", { text: "—" }));
    versions.replaceChildren(emptyRow("—", VERSION_COLUMNS));
  }
}

const list = document.querySelector("[data-register]");
if (list) new RegisterList(list).start();
const detail = document.querySelector("[data-register-detail]");
if (detail) showDetail(detail);
