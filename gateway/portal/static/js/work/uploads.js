/* The uploads a page asks for (PageDefinition.uploads): a row per 材料类型 listing the documents
 * attached to this page, 上传 (one click: the upload component of templates/_upload.html, in its
 * picker mode, opens the file picker for the row's 材料类型 and uploads the file chosen) and 移除 (detach from the page; the document stays in 单位材料).
 * ``documents`` is SavePage.documents: 材料类型 → document ids. */

import { element, send } from "./http.js";

const TEXT = {
  none: "未上传",
  upload: (label) => `上传${label}`,
  detach: "移除",
  detachName: (name) => `移除：${name}`,
  preview: "预览",
  wrongPurpose: "该材料类型不属于本页，请在本页列出的材料类型中选择",
};

export class PageUploads {
  constructor(section, documentsApi, { onChange }) {
    this.section = section;
    this.api = documentsApi;
    this.onChange = onChange;
    this.rows = section.querySelector(".slot-table tbody");
    this.panel = section.querySelector("[data-upload]");
    this.purposeSelect = this.panel.querySelector("select[name=purpose]");
    this.uploads = [];
    this.documents = {};
    this.names = new Map();
    this.readOnly = false;
    new MutationObserver(() => this.narrowPurposes()).observe(this.purposeSelect, { childList: true });
    section.addEventListener("upload:stored", (event) => this.attach(event.detail));
  }

  show(uploads, documents, { readOnly }) {
    this.uploads = uploads;
    this.documents = Object.fromEntries(uploads.map((u) => [u.purpose, [...(documents[u.purpose] ?? [])]]));
    this.readOnly = readOnly;
    this.section.hidden = uploads.length === 0;
    this.panel.closest(".page-upload-panel").hidden = readOnly;
    this.panel.dispatchEvent(new CustomEvent("upload:reset"));
    this.narrowPurposes();
    this.render();
  }

  narrowPurposes() {
    const wanted = new Set(this.uploads.map((u) => u.purpose));
    for (const option of [...this.purposeSelect.options].slice(1)) {
      option.hidden = !wanted.has(option.value);
      option.disabled = option.hidden;
    }
  }

  attach(doc) {
    if (!doc || !(doc.purpose in this.documents)) {
      this.section.querySelector('[data-error-for="purpose"]').textContent = TEXT.wrongPurpose;
      return;
    }
    this.names.set(doc.id, doc.filename);
    this.documents[doc.purpose].push(doc.id);
    this.render();
    this.onChange();
  }

  render() {
    this.rows.replaceChildren(...this.uploads.map((upload) => this.row(upload)));
  }

  row(upload) {
    const ids = this.documents[upload.purpose];
    const listed = ids.length ? ids.map((id) => this.documentItem(upload, id)) : [element("span", { className: "slot-empty", text: TEXT.none })];
    const actions = [];
    if (!this.readOnly) {
      const button = element("button", { className: "button button-small", text: "上传", attributes: { type: "button", "aria-label": TEXT.upload(upload.label) } });
      button.addEventListener("click", () => this.choose(upload.purpose));
      actions.push(button);
    }
    const key = `documents.${upload.purpose}`;
    return element("tr", { attributes: { "data-slot": upload.purpose } }, [
      element("th", { className: `col-purpose${upload.required ? " is-required-slot" : ""}`, attributes: { scope: "row" } }, [
        element("span", { text: upload.label }),
        ...(upload.required ? [element("span", { className: "required-mark", text: "*", attributes: { "aria-label": "必填" } })] : []),
      ]),
      element("td", { className: "slot-documents" }, [...listed, element("p", { className: "field-error", attributes: { role: "alert", "data-error-for": key } })]),
      element("td", { className: "col-actions" }, actions),
    ]);
  }

  documentItem(upload, id) {
    const name = element("span", { className: "slot-name", text: this.names.get(id) ?? "正在读取…" });
    if (!this.names.has(id)) this.lookUp(id, name);
    const preview = element("a", { text: TEXT.preview, attributes: { href: `${this.api}/documents/${encodeURIComponent(id)}/content?disposition=inline`, target: "_blank", rel: "noopener" } });
    const item = element("div", { className: "slot-document" }, [name, preview]);
    if (!this.readOnly) {
      const detach = element("button", { className: "link-button", text: TEXT.detach, attributes: { type: "button" } });
      detach.addEventListener("click", () => {
        this.documents[upload.purpose] = this.documents[upload.purpose].filter((other) => other !== id);
        this.render();
        this.onChange();
      });
      detach.setAttribute("aria-label", TEXT.detachName(this.names.get(id) ?? upload.label));
      item.append(detach);
    }
    return item;
  }

  async lookUp(id, node) {
    try {
      const doc = await send(`${this.api}/documents/${encodeURIComponent(id)}`);
      this.names.set(id, doc.filename);
      node.textContent = doc.filename;
    } catch (refusal) {
      node.textContent = `${id}（${refusal.message}）`;
    }
  }

  /* One click: the panel opens the file picker for ``purpose`` and uploads what is chosen. */
  choose(purpose) {
    this.section.querySelector('[data-error-for="purpose"]').textContent = "";
    this.panel.dispatchEvent(new CustomEvent("upload:choose", { detail: { purpose } }));
  }

  value() {
    return Object.fromEntries(Object.entries(this.documents).filter(([, ids]) => ids.length));
  }
}
