/* 新建工作: 工作类型 × 证书类型 from GET /types. Each select's choices are disabled, with the
 * service's reason after the name, when they cannot go with the other select's choice (or with
 * none of them); 确定 sends POST /works, and a refusal is shown in the dialog next to its field. */

import { element, send } from "./http.js";

const TEXT = {
  loadFailed: (message) => `工作类型加载失败：${message}`,
  pickType: "请选择工作类型",
  pickCertificate: "请选择证书类型",
  option: (name, reason) => (reason ? `${name}（${reason}）` : name),
};

export class CreateDialog {
  constructor(dialog, api, { onCreated }) {
    this.dialog = dialog;
    this.api = api;
    this.onCreated = onCreated;
    this.form = dialog.querySelector(".create-form");
    this.type = this.form.elements.application_type;
    this.certificate = this.form.elements.certificate_type;
    this.error = dialog.querySelector(".create-error");
    this.options = null;
  }

  start() {
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.type.addEventListener("change", () => this.refresh());
    this.certificate.addEventListener("change", () => this.refresh());
  }

  async open() {
    this.form.reset();
    this.clear();
    try {
      this.options = await send(`${this.api}/types`);
      this.fill(this.type, this.options.application_types);
      this.fill(this.certificate, this.options.certificate_types);
      this.refresh();
    } catch (refusal) {
      this.error.textContent = TEXT.loadFailed(refusal.message);
    }
  }

  fill(select, names) {
    const first = select.options[0];
    select.replaceChildren(first, ...names.map((name) => element("option", { text: name, attributes: { value: name } })));
  }

  /* The reason a (type, certificate) cell is refused; with one side empty, the reason of the
   * first refused cell when every cell of that choice is refused. */
  reasonFor(type, certificate) {
    const cells = this.options.items.filter((item) => (!type || item.application_type === type) && (!certificate || item.certificate_type === certificate));
    if (cells.some((item) => item.allowed)) return null;
    return cells[0]?.reason ?? "";
  }

  refresh() {
    if (!this.options) return;
    for (const option of [...this.type.options].slice(1)) this.mark(option, this.reasonFor(option.value, this.certificate.value));
    for (const option of [...this.certificate.options].slice(1)) this.mark(option, this.reasonFor(this.type.value, option.value));
    if (this.type.selectedOptions[0]?.disabled) this.type.value = "";
    if (this.certificate.selectedOptions[0]?.disabled) this.certificate.value = "";
  }

  mark(option, reason) {
    option.disabled = reason !== null;
    option.textContent = TEXT.option(option.value, reason);
  }

  clear() {
    this.error.textContent = "";
    for (const name of ["application_type", "certificate_type"]) this.fieldError(name, "");
  }

  fieldError(name, message) {
    const control = this.form.elements[name];
    this.dialog.querySelector(`[data-error-for="${name}"]`).textContent = message;
    if (message) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
    control.closest(".form-field").classList.toggle("has-error", Boolean(message));
  }

  async submit() {
    this.clear();
    const missing = [
      [this.type, "application_type", TEXT.pickType],
      [this.certificate, "certificate_type", TEXT.pickCertificate],
    ].filter(([control]) => !control.value);
    for (const [, name, message] of missing) this.fieldError(name, message);
    if (missing.length) {
      missing[0][0].focus();
      return;
    }
    try {
      const work = await send(`${this.api}/works`, { method: "POST", body: { application_type: this.type.value, certificate_type: this.certificate.value } });
      this.dialog.close();
      await this.onCreated(work);
    } catch (refusal) {
      const named = typeof refusal.details?.field === "string" ? refusal.details.field.replace(/^\$\./, "") : null;
      if (named === "application_type" || named === "certificate_type") this.fieldError(named, refusal.message);
      else this.error.textContent = refusal.message;
      this.error.focus();
    }
  }
}
