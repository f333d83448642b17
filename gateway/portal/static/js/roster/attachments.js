/* 相关材料 of the 添加/编辑 dialog: one row per 材料类型 with the documents attached for it.
 * A document comes from the upload component in the dialog (its upload:stored event); 上传 on a
 * row picks that 材料类型 in the component. 移除 only detaches (the document stays among the
 * unit's 单位材料). A refusal naming $.documents[i] is shown with the i-th document. */

import { element, requestJson, rowButton } from "./dom.js";

const TEXT = {
  none: "未上传",
  preview: "预览",
  detach: "移除",
  loading: "正在读取…",
  gone: "（材料已删除，请重新上传）",
  attached: (purpose, name) => `已添加${purpose}：${name}`,
  detached: (name) => `已移除材料：${name}`,
};

export class Attachments {
  constructor(dialog, config) {
    this.config = config;
    this.rows = new Map([...dialog.querySelectorAll("[data-slot]")].map((row) => [row.dataset.slot, row]));
    this.error = dialog.querySelector('[data-error-for="documents"]');
    this.panel = dialog.querySelector("[data-upload]");
    this.status = this.panel.querySelector(".upload-status");
    this.items = [];
    this.failed = null;
    this.panel.addEventListener("upload:stored", (event) => this.add(event.detail));
    dialog.addEventListener("click", (event) => {
      const purpose = event.target.closest("[data-slot-upload]")?.dataset.slotUpload;
      if (purpose) this.pick(purpose);
    });
  }

  /* The documents of an entry being edited (their names are read from the documents service). */
  show(documents) {
    this.panel.dispatchEvent(new Event("upload:reset"));
    this.items = documents.map(({ purpose, document_id: id }) => ({ purpose, id, filename: null, gone: false }));
    this.failed = null;
    this.render();
    for (const item of this.items) this.describe(item);
  }

  async describe(item) {
    try {
      const found = await requestJson(`${this.config.documents}/documents/${encodeURIComponent(item.id)}`);
      item.filename = found.filename;
    } catch {
      item.gone = true;
    }
    if (this.items.includes(item)) this.render();
  }

  /* As the request sends them: [{purpose, document_id}], in the order shown. */
  chosen() {
    return this.ordered().map(({ purpose, id }) => ({ purpose, document_id: id }));
  }

  ordered() {
    const order = [...this.rows.keys()];
    return [...this.items].sort((a, b) => order.indexOf(a.purpose) - order.indexOf(b.purpose));
  }

  add(stored) {
    if (!this.rows.has(stored.purpose)) return;
    this.items.push({ purpose: stored.purpose, id: stored.id, filename: stored.filename, gone: false });
    this.clearError();
    this.render();
    this.status.textContent = TEXT.attached(stored.purpose, stored.filename);
  }

  /* 上传 on a row: the component's 材料类型 set to the row's, the file chooser next. */
  pick(purpose) {
    const select = this.panel.querySelector('select[name="purpose"]');
    select.value = purpose;
    select.dispatchEvent(new Event("change"));
    this.panel.querySelector('input[type="file"]').focus();
  }

  showError(index, message) {
    this.failed = this.ordered()[index] ?? null;
    this.error.textContent = message;
    this.render();
    this.error.scrollIntoView({ block: "nearest" });
  }

  clearError() {
    this.failed = null;
    this.error.textContent = "";
    for (const row of this.rows.values()) row.classList.remove("has-error");
  }

  render() {
    for (const [purpose, row] of this.rows) {
      const mine = this.items.filter((item) => item.purpose === purpose);
      const cell = row.querySelector(".slot-documents");
      cell.replaceChildren(...(mine.length ? mine.map((item) => this.document(item)) : [element("span", { className: "slot-empty", text: TEXT.none })]));
      row.classList.toggle("has-error", mine.includes(this.failed));
    }
  }

  document(item) {
    const name = item.filename ?? TEXT.loading;
    const href = `${this.config.documents}/documents/${encodeURIComponent(item.id)}/content?disposition=inline`;
    const parts = [element("span", { className: "slot-name", text: name })];
    if (item.gone) parts.push(element("span", { className: "slot-gone", text: TEXT.gone }));
    else parts.push(element("a", { text: TEXT.preview, attributes: { href, target: "_blank", rel: "noopener", "aria-label": `${TEXT.preview}：${name}（新窗口）` } }));
    const detach = rowButton(TEXT.detach, name, "link-button");
    detach.addEventListener("click", () => this.detach(item));
    parts.push(detach);
    return element("div", { className: `slot-document${item === this.failed ? " is-refused" : ""}` }, parts);
  }

  detach(item) {
    this.items = this.items.filter((other) => other !== item);
    if (this.failed === item) this.clearError();
    this.render();
    this.status.textContent = TEXT.detached(item.filename ?? "");
    this.panel.querySelector('select[name="purpose"]').focus();
  }
}
