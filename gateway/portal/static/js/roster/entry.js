/* 添加 / 编辑 of a 单位信息 page (manual 5.5.2, 5.6.1, 5.7): the form, the documents attached per
 * 材料类型 (uploaded with the upload component inside the dialog) and the service's words next
 * to the field they name. After 保存 of a new entry the dialog stays open, cleared for the next
 * one; 关闭 finishes and the list is shown again. */

import { element, entryName, fieldOf, openModal, refusedFields, requestJson } from "./dom.js";
import { Attachments } from "./attachments.js";
import { standardInForce } from "./standard.js";

const TEXT = {
  fill: (label) => `请填写${label}`,
  choose: (label) => `请选择${label}`,
  amount: "请填写大于0的金额（万元），最多保留两位小数",
  added: (name, noun) => `保存成功：${name}。可继续添加下一${noun === "人员" ? "位" : "个"}${noun}，全部添加完毕后请关闭此窗口。`,
  addedIncomplete: (name, reasons) => `保存成功：${name}（信息尚不完整：${reasons}）。可继续添加，全部添加完毕后请关闭此窗口。`,
  saved: (name) => `已保存：${name}`,
  loadFailed: (message) => `信息加载失败：${message}`,
  vocabularyFailed: (message) => `资质标准加载失败：${message}`,
};
const AMOUNT = /^\d{1,9}(\.\d{1,2})?$/;

export class EntryDialog {
  constructor(root, config, { onSaved }) {
    this.config = config;
    this.onSaved = onSaved;
    this.dialog = root.querySelector(".entry-dialog");
    this.title = this.dialog.querySelector(".dialog-title");
    this.form = this.dialog.querySelector(".entry-form");
    this.status = this.dialog.querySelector(".entry-status");
    this.alert = this.dialog.querySelector(".entry-error");
    this.saveButton = this.dialog.querySelector('button[type="submit"][form]');
    this.fields = [...this.form.elements].filter((control) => control.name);
    this.attachments = new Attachments(this.dialog, config);
    this.editing = null;
    this.changed = false;
  }

  start() {
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    for (const control of this.fields) control.addEventListener("change", () => this.clearError(control.name));
    this.dialog.addEventListener("close", () => this.finish());
  }

  async openAdd(opener) {
    this.editing = null;
    this.title.textContent = this.dialog.dataset.titleAdd;
    this.clear();
    this.status.textContent = "";
    openModal(this.dialog, opener);
    await this.loadVocabularies();
    this.fields[0].focus();
  }

  /* 编辑: the entry as the service has it now (a person's full 证件号码 only comes this way). */
  async openEdit(item, opener) {
    this.editing = item;
    this.title.textContent = `${this.dialog.dataset.titleEdit}：${entryName(this.config.roster, item)}`;
    this.clear();
    this.status.textContent = "";
    openModal(this.dialog, opener);
    await this.loadVocabularies();
    try {
      const entry = await requestJson(`${this.config.api}/${encodeURIComponent(item.id)}`);
      this.fill(entry);
    } catch (refusal) {
      this.alert.textContent = TEXT.loadFailed(refusal.message);
    }
    this.fields[0].focus();
  }

  /* 设备类型 / 专业类别: the standard in force's words (a value no longer there stays offered). */
  async loadVocabularies() {
    const selects = this.fields.filter((control) => control.dataset.vocabulary && control.options.length <= 1);
    if (!selects.length) return;
    try {
      const standard = await standardInForce(this.config.standards);
      for (const select of selects) {
        const words = standard[select.dataset.vocabulary] ?? [];
        select.append(...words.map((word) => element("option", { text: word, attributes: { value: word } })));
      }
    } catch (refusal) {
      this.alert.textContent = TEXT.vocabularyFailed(refusal.message);
    }
  }

  fill(entry) {
    for (const control of this.fields) {
      const value = control.name === "id_number" ? entry.id_number ?? "" : entry[control.name];
      if (control.type === "checkbox") {
        control.checked = Boolean(value);
      } else if (control.tagName === "SELECT" && value && ![...control.options].some((o) => o.value === value)) {
        control.append(element("option", { text: value, attributes: { value } }));
        control.value = value;
      } else {
        control.value = value ?? "";
      }
    }
    this.attachments.show(entry.documents ?? []);
  }

  /* The request body: filled fields only (an empty optional field is left to its default). */
  collect() {
    const body = {};
    for (const control of this.fields) {
      if (control.dataset.kind === "bool") {
        body[control.name] = control.checked;
        continue;
      }
      const value = control.value.trim();
      if (!value) continue;
      body[control.name] = control.dataset.kind === "decimal" ? Number(value) : value;
    }
    body.documents = this.attachments.chosen();
    return body;
  }

  /* Required fields and the amount's form, as the service would refuse them. */
  precheck() {
    const problems = [];
    for (const control of this.fields) {
      const label = control.labels[0]?.textContent.trim() ?? control.name;
      const value = control.value.trim();
      if (control.required && !value) {
        problems.push([control.name, control.tagName === "SELECT" ? TEXT.choose(label) : TEXT.fill(label)]);
      } else if (control.dataset.kind === "decimal" && value && (!AMOUNT.test(value) || Number(value) <= 0)) {
        problems.push([control.name, TEXT.amount]);
      }
    }
    return problems;
  }

  async save() {
    this.clearErrors();
    this.status.textContent = "";
    const problems = this.precheck();
    if (problems.length) {
      for (const [name, message] of problems) this.showError(name, message);
      this.focusField(problems[0][0]);
      return;
    }
    this.saveButton.disabled = true;
    try {
      const editing = this.editing;
      const url = editing ? `${this.config.api}/${encodeURIComponent(editing.id)}` : this.config.api;
      const saved = await requestJson(url, { method: editing ? "PUT" : "POST", body: this.collect() });
      this.changed = true;
      if (editing) this.savedEdit(saved);
      else this.savedNew(saved);
    } catch (refusal) {
      this.showRefusal(refusal);
    } finally {
      this.saveButton.disabled = false;
    }
  }

  savedNew(saved) {
    const name = entryName(this.config.roster, saved);
    this.clear();
    const reasons = (saved.problems ?? []).map((problem) => problem.message).join("；");
    this.status.textContent = saved.complete ? TEXT.added(name, this.config.noun) : TEXT.addedIncomplete(name, reasons);
    this.fields[0].focus();
  }

  savedEdit(saved) {
    this.onSaved(TEXT.saved(entryName(this.config.roster, saved)));
    this.changed = false;
    this.dialog.close();
  }

  /* 关闭: the list shows what was added. */
  finish() {
    this.editing = null;
    if (this.changed) this.onSaved("");
    this.changed = false;
  }

  clear() {
    this.form.reset();
    this.clearErrors();
    this.attachments.show([]);
  }

  /* Each named field gets its message; what names no field of the form goes on top. */
  showRefusal(refusal) {
    let placed = 0;
    for (const { path, message } of refusedFields(refusal)) {
      const field = fieldOf(path);
      if (field?.name === "documents") {
        this.attachments.showError(field.index, message);
        placed += 1;
      } else if (field && this.form.elements[field.name]) {
        this.showError(field.name, message);
        if (!placed) this.focusField(field.name);
        placed += 1;
      }
    }
    if (placed) return;
    this.alert.textContent = refusal.message;
    this.alert.focus();
  }

  showError(name, message) {
    const control = this.form.elements[name];
    this.form.querySelector(`[data-error-for="${name}"]`).textContent = message;
    control.setAttribute("aria-invalid", "true");
    control.closest(".form-field").classList.add("has-error");
  }

  clearError(name) {
    const control = this.form.elements[name];
    this.form.querySelector(`[data-error-for="${name}"]`).textContent = "";
    control.removeAttribute("aria-invalid");
    control.closest(".form-field").classList.remove("has-error");
  }

  clearErrors() {
    for (const control of this.fields) this.clearError(control.name);
    this.attachments.clearError();
    this.alert.textContent = "";
  }

  focusField(name) {
    this.form.elements[name]?.focus();
  }
}
