/* 信息填报 — one piece of the unit's work (templates/work_fill.html).
 *
 * GET /works/{id} gives the page switcher; each page comes from GET /works/{id}/pages/{key} and is
 * rendered from its definition (./fields.js, ./uploads.js, ./roster.js). 保存 sends PUT with the
 * values, the attached documents and the version read; the service's message for each field goes
 * next to it. Leaving a page (or the site) with unsaved changes asks first. 提交 sends POST
 * /works/{id}/submission with a fresh Idempotency-Key per click and the expected version; a
 * refusal lists what is missing per page, or shows the standards table with the failures in red.
 * Once submitted the work is read-only and shows its progress and 审批记录 (./progress.js); 撤回
 * is offered while the service allows it (./withdraw.js). */

import { collect, renderFields } from "./fields.js";
import { element, idempotencyKey, send, STALE } from "./http.js";
import { loadProgress } from "./progress.js";
import { PageRoster } from "./roster.js";
import { evaluationBlock } from "./standards.js";
import { returnNoticeParts } from "./returned.js";
import { PageUploads } from "./uploads.js";
import { WithdrawControl } from "./withdraw.js";

const TEXT = {
  subtitle: (work) => `${work.unit_name} · ${work.application_type}（${work.certificate_type}） · ${work.state_label}`,
  loadFailed: (message) => `加载失败：${message}`,
  saved: (title) => `已保存：${title}`,
  savedWithProblems: (title) => `已保存：${title}（本页仍有需要补充的内容，请查看标注的项目）`,
  fixFields: "保存未成功，请按提示修改标注的项目",
  submitted: "提交成功，请等待主管部门受理",
  missing: "以下页面尚未填写完整，请补充后再提交：",
  standard: "所申请的专业类别和等级未达到资质标准的要求，不能提交：",
  readOnly: "本工作已提交，信息不能修改",
  state: { 未填写: "未填写", 已保存: "已保存", 有误: "有误" },
  returned: "待补正",
  returnedHint: "退回补齐通知涉及本页，请按通知修改后重新保存",
};

class FillPage {
  constructor(root) {
    this.root = root;
    this.api = root.dataset.api;
    this.id = root.dataset.work;
    this.base = `${this.api}/works/${encodeURIComponent(this.id)}`;
    this.status = root.querySelector(".work-status");
    this.error = root.querySelector(".work-error");
    this.switcher = root.querySelector(".switcher-list");
    this.heading = root.querySelector("#page-heading");
    this.form = root.querySelector(".page-form");
    this.fields = root.querySelector(".page-fields");
    this.pageError = root.querySelector(".page-error");
    this.saveButton = root.querySelector("[data-save]");
    this.submitButton = root.querySelector("[data-submit]");
    this.problems = root.querySelector(".submit-problems");
    this.uploads = new PageUploads(root.querySelector(".page-uploads"), root.dataset.documents, { onChange: () => this.markDirty() });
    this.roster = new PageRoster(root.querySelector(".page-roster"), { api: this.api, staffing: root.dataset.staffing, workId: this.id });
    this.withdraw = new WithdrawControl(root.querySelector("[data-withdraw]"), root.querySelector(".withdraw-confirm"), {
      base: this.base,
      onDone: (message) => this.withdrawn(message),
      onRefused: (message) => {
        this.error.textContent = message;
        this.error.focus();
      },
    });
    this.work = null;
    this.page = null;
    this.dirty = false;
  }

  async start() {
    this.form.addEventListener("input", () => this.markDirty());
    this.form.addEventListener("change", () => this.markDirty());
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    this.submitButton.addEventListener("click", () => this.confirmSubmit());
    window.addEventListener("beforeunload", (event) => {
      if (this.dirty) event.preventDefault();
    });
    for (const link of document.querySelectorAll("a[href]")) link.addEventListener("click", (event) => this.guardLink(event, link));
    if (await this.loadWork()) await this.open(this.work.pages[0]?.key);
  }

  async withdrawn(message) {
    this.error.textContent = "";
    await this.loadWork();
    await this.open(this.page?.key ?? this.work.pages[0]?.key);
    this.status.textContent = message;
  }

  markDirty() {
    if (this.page?.editable) this.dirty = true;
  }

  async loadWork() {
    try {
      this.work = await send(this.base);
    } catch (refusal) {
      this.error.textContent = TEXT.loadFailed(refusal.message);
      this.root.querySelector(".work-layout").hidden = true;
      this.root.querySelector(".work-subtitle").textContent = "";
      return false;
    }
    this.root.querySelector(".work-subtitle").textContent = TEXT.subtitle(this.work);
    this.submitButton.hidden = !this.work.editable;
    this.showReturned(this.work.return_notice);
    this.renderSwitcher();
    if (this.work.state !== "draft") this.loadProgress();
    else this.withdraw.show(null);
    return true;
  }

  async loadProgress() {
    try {
      this.withdraw.show(await loadProgress(this.root, this.api, this.id));
    } catch (refusal) {
      this.error.textContent = TEXT.loadFailed(refusal.message);
    }
  }

  /* 退回补齐: the authority's notice at the top while the work is returned. */
  showReturned(notice) {
    const banner = this.root.querySelector(".returned-notice");
    banner.hidden = !notice;
    banner.replaceChildren(...(notice ? returnNoticeParts(notice, { headingId: "returned-heading" }) : []));
  }

  renderSwitcher() {
    this.switcher.replaceChildren(
      ...this.work.pages.map((entry) => {
        const button = element("button", { className: "switcher-button", attributes: { type: "button", "data-page": entry.key } }, [
          element("span", { className: "switcher-name", text: entry.title }),
          element("span", { className: `tag tag-page tag-page-${entry.status}`, text: TEXT.state[entry.status] ?? entry.status }),
          ...(entry.returned ? [element("span", { className: "tag tag-page tag-page-returned", text: TEXT.returned })] : []),
        ]);
        if (entry.key === this.page?.key) button.setAttribute("aria-current", "page");
        // the page shown stays as it is (opening it again would reload it under the unit's fingers)
        button.addEventListener("click", () => entry.key !== this.page?.key && this.leaveThen(() => this.open(entry.key)));
        return element("li", {}, [button]);
      }),
    );
  }

  /* Run ``next`` now, or once the unit agreed to lose the unsaved changes. */
  leaveThen(next) {
    if (!this.dirty) return next();
    const dialog = this.root.querySelector(".leave-confirm");
    dialog.returnValue = "";
    dialog.addEventListener(
      "close",
      () => {
        if (dialog.returnValue !== "leave") return;
        this.dirty = false;
        next();
      },
      { once: true },
    );
    dialog.showModal();
  }

  guardLink(event, link) {
    if (!this.dirty || link.target === "_blank") return;
    event.preventDefault();
    this.leaveThen(() => window.location.assign(link.href));
  }

  /* A notice (已保存：…) belongs to the page that raised it: opening a page or 提交 clears it. */
  clearNotices() {
    this.status.textContent = "";
  }

  async open(key) {
    if (!key) return;
    this.clearNotices();
    try {
      this.show(await send(`${this.base}/pages/${encodeURIComponent(key)}`));
    } catch (refusal) {
      this.pageError.textContent = TEXT.loadFailed(refusal.message);
    }
  }

  show(page) {
    this.page = page;
    this.dirty = false;
    this.heading.textContent = page.title;
    const returned = page.returned ? [element("span", { className: "tag tag-page tag-page-returned", text: TEXT.returned, attributes: { title: TEXT.returnedHint } })] : [];
    this.root.querySelector(".page-state").replaceChildren(element("span", { className: `tag tag-page tag-page-${page.status}`, text: page.status }), ...returned);
    this.pageError.textContent = page.editable || this.work.state === "draft" ? "" : TEXT.readOnly;
    this.fields.replaceChildren(...renderFields(page.definition, page.values, { readOnly: !page.editable }));
    this.uploads.show(page.definition.uploads, page.documents, { readOnly: !page.editable });
    this.roster.show(page.definition.roster, { hasScope: this.work.pages.some((entry) => entry.key === "scope") });
    this.saveButton.hidden = !page.editable;
    this.showErrors(page.errors);
    this.renderSwitcher();
    this.heading.focus();
  }

  showErrors(errors) {
    for (const slot of this.root.querySelectorAll(".page-card [data-error-for]")) {
      if (slot.closest("[data-upload]")) continue;
      const message = errors?.[slot.dataset.errorFor] ?? "";
      slot.textContent = message;
      slot.closest(".form-field")?.classList.toggle("has-error", Boolean(message));
      for (const control of slot.closest(".form-field")?.querySelectorAll("input, select, textarea") ?? []) {
        if (message) control.setAttribute("aria-invalid", "true");
        else control.removeAttribute("aria-invalid");
      }
    }
  }

  async save() {
    const body = { values: collect(this.form, this.page.definition), documents: this.uploads.value(), version: this.work.version };
    this.status.textContent = "";
    this.pageError.textContent = "";
    this.saveButton.disabled = true;
    try {
      const page = await send(`${this.base}/pages/${encodeURIComponent(this.page.key)}`, { method: "PUT", body });
      this.work = await send(this.base);
      this.show(page);
      this.status.textContent = page.status === "有误" ? TEXT.savedWithProblems(page.title) : TEXT.saved(page.title);
    } catch (refusal) {
      this.refused(refusal);
    } finally {
      this.saveButton.disabled = false;
    }
  }

  refused(refusal) {
    const fields = refusal.details?.fields;
    if (refusal.status === 400 && fields && typeof fields === "object") {
      this.showErrors(fields);
      this.pageError.textContent = TEXT.fixFields;
      this.form.querySelector("[aria-invalid=true]")?.focus();
      return;
    }
    this.pageError.textContent = refusal.status === 409 ? STALE : refusal.message;
    this.pageError.focus();
  }

  confirmSubmit() {
    const dialog = this.root.querySelector(".submit-confirm");
    this.leaveThen(() => {
      dialog.returnValue = "";
      dialog.addEventListener("close", () => dialog.returnValue === "confirm" && this.submit(), { once: true });
      dialog.showModal();
    });
  }

  async submit() {
    this.problems.hidden = true;
    this.clearNotices();
    this.error.textContent = "";
    this.submitButton.disabled = true;
    try {
      await send(`${this.base}/submission`, { method: "POST", body: { expected_version: this.work.version }, headers: { "Idempotency-Key": idempotencyKey() } });
      await this.loadWork();
      await this.open(this.page?.key ?? this.work.pages[0]?.key);
      this.status.textContent = TEXT.submitted;
    } catch (refusal) {
      this.submitRefused(refusal);
    } finally {
      this.submitButton.disabled = false;
    }
  }

  submitRefused(refusal) {
    const body = this.problems.querySelector(".problems-body");
    const pages = refusal.details?.pages;
    const evaluation = refusal.details?.evaluation;
    if (refusal.status !== 400 || (!pages && !evaluation)) {
      this.error.textContent = refusal.status === 409 ? STALE : refusal.message;
      this.error.focus();
      return;
    }
    const parts = [element("p", { className: "alert-message", text: pages ? TEXT.missing : TEXT.standard })];
    if (pages) parts.push(missingList(pages));
    if (evaluation) parts.push(evaluationBlock(evaluation));
    body.replaceChildren(...parts);
    this.problems.hidden = false;
    this.problems.focus();
    this.loadWork();
  }
}

/* details.pages: page title → what is missing (a text, a list, or field → message). */
function missingList(pages) {
  return element(
    "ul",
    { className: "alert-problems missing-pages" },
    Object.entries(pages).map(([title, missing]) => {
      const items = typeof missing === "string" ? [missing] : Array.isArray(missing) ? missing : Object.values(missing ?? {});
      return element("li", {}, [element("strong", { text: title }), element("ul", {}, items.map((text) => element("li", { text: String(text) })))]);
    }),
  );
}

const root = document.querySelector("[data-work-fill]");
if (root) new FillPage(root).start();
