/* 审查 — one piece of work as the authority reviews it: every page read-only (./fields.js) with
 * the documents' previews, the staffing snapshot taken at 提交, the standards' verdict, the 审批记录
 * (./progress.js), and the actions GET /works/{id}/workflow lists for this caller — nothing else.
 * An action sends POST /works/{id}/actions with the expected version and a fresh Idempotency-Key;
 * 409 says 该申请已被他人处理，请刷新后查看. */

import { renderFields } from "./fields.js";
import { element, idempotencyKey, send, STALE, timeText } from "./http.js";
import { showProgress, showRecords } from "./progress.js";
import { verdictText } from "./standards.js";

const TEXT = {
  subtitle: (work) => `${work.unit_name}（${work.credit_code}） · ${work.application_type}（${work.certificate_type}）`,
  loadFailed: (message) => `加载失败：${message}`,
  pageFailed: (message) => `本页无法读取：${message}`,
  decided: (label) => `已办结：${label}`,
  mine: (holder) => `由您办理（${timeText(holder.claimed_at)} 领取）`,
  theirs: (holder) => `办理人：${holder.name}（${timeText(holder.claimed_at)} 领取）`,
  unclaimed: "尚未领取：领取后方可办理",
  noActions: "当前没有可由您办理的操作",
  done: (label) => `已办理：${label}`,
  needOpinion: "请填写意见",
  needReasons: "请填写理由，每行一条",
  returnPages: "退回补齐涉及的页面（单位的信息填报中将标注“待补正”，直至重新保存）",
  noDocuments: "未上传",
  preview: (name) => `${name} 的预览`,
  snapshot: { persons: "技术人员", equipment: "技术装备", projects: "测绘业绩" },
  snapshotFailed: (message) => `人员和装备快照加载失败：${message}`,
};

export class ReviewScreen {
  constructor(root) {
    this.root = root;
    this.api = root.dataset.api;
    this.base = `${this.api}/works/${encodeURIComponent(root.dataset.work)}`;
    this.status = root.querySelector(".review-status");
    this.error = root.querySelector(".review-error");
    this.actions = root.querySelector(".review-actions");
    this.form = root.querySelector(".action-form");
    this.workflow = null;
  }

  async start() {
    let work;
    try {
      work = await send(this.base);
    } catch (refusal) {
      this.root.querySelector(".review-subtitle").textContent = "";
      this.error.textContent = TEXT.loadFailed(refusal.message);
      return;
    }
    this.root.querySelector(".review-subtitle").textContent = TEXT.subtitle(work);
    this.pages = work.pages;
    await this.refresh();
    this.showPages(work);
  }

  async refresh() {
    try {
      const [status, records] = await Promise.all([send(`${this.base}/workflow`), send(`${this.base}/records`)]);
      this.workflow = status;
      showProgress(this.root.querySelector(".work-progress"), status);
      showRecords(this.root.querySelector(".work-records"), records);
      this.showActions(status);
      this.showEvaluation(status);
      if (status.snapshot_id) this.showSnapshot(status.snapshot_id);
    } catch (refusal) {
      this.error.textContent = TEXT.loadFailed(refusal.message);
    }
  }

  showEvaluation(status) {
    const card = this.root.querySelector(".review-evaluation");
    card.hidden = !status.evaluation_overall;
    const verdict = element("p", { className: `fulfilment-verdict is-${status.evaluation_overall}`, text: verdictText(status.evaluation_overall) });
    card.querySelector(".review-evaluation-body").replaceChildren(verdict);
  }

  /* The buttons of WorkflowStatus.actions, with the opinion / reasons inputs they need. */
  showActions(status) {
    this.actions.hidden = false;
    const hint = this.actions.querySelector(".holder-text");
    hint.textContent = this.holderText(status);
    hint.hidden = !hint.textContent;
    this.form.querySelector('[data-input="opinion"]').hidden = !status.actions.length;
    this.form.querySelector('[data-input="reasons"]').hidden = !status.actions.some((a) => a.reasons_required);
    this.showReturnPages(status.actions.some((a) => a.action === "return"));
    const buttons = status.actions.map((option) => {
      const button = element("button", { className: `button ${option.reasons_required ? "button-danger" : "button-primary"}`, text: option.label, attributes: { type: "button", "data-action": option.action } });
      button.addEventListener("click", () => this.act(option, button));
      return button;
    });
    this.form.querySelector(".action-buttons").replaceChildren(...(buttons.length ? buttons : [element("p", { className: "field-hint", text: TEXT.noActions })]));
  }

  /* What is true of the work's 领取 for this officer: decided, held by them, held by another, or
   * waiting to be claimed (only when they may claim it); nothing otherwise. */
  holderText(status) {
    if (status.final) return TEXT.decided(status.state_label);
    if (status.holder) return status.holder.account_id === this.root.dataset.account ? TEXT.mine(status.holder) : TEXT.theirs(status.holder);
    return status.actions.some((option) => option.action === "claim") ? TEXT.unclaimed : "";
  }

  /* 退回补齐: which pages its notice concerns (sent as TakeAction.pages). */
  showReturnPages(shown) {
    let set = this.form.querySelector(".return-pages");
    if (!set) {
      const boxes = (this.pages ?? []).map((entry) => {
        const box = element("input", { className: "check", attributes: { type: "checkbox", id: `return-page-${entry.key}`, name: "return-pages", value: entry.key } });
        return element("span", { className: "level-sub" }, [box, element("label", { text: entry.title, attributes: { for: box.id } })]);
      });
      set = element("fieldset", { className: "work-fieldset return-pages" }, [element("legend", { className: "form-label", text: TEXT.returnPages }), ...boxes]);
      this.form.querySelector('[data-input="reasons"]').append(set);
    }
    set.hidden = !shown;
  }

  fieldError(name, message) {
    const slot = this.form.querySelector(`[data-error-for="${name}"]`);
    slot.textContent = message;
    const input = this.form.elements[name];
    if (message) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  async act(option, button) {
    const opinion = this.form.elements.opinion.value.trim();
    const reasons = this.form.elements.reasons.value.split("\n").map((line) => line.trim()).filter(Boolean);
    this.fieldError("opinion", option.opinion_required && !opinion ? TEXT.needOpinion : "");
    this.fieldError("reasons", option.reasons_required && !reasons.length ? TEXT.needReasons : "");
    if ((option.opinion_required && !opinion) || (option.reasons_required && !reasons.length)) {
      this.form.querySelector("[aria-invalid=true]").focus();
      return;
    }
    const body = { action: option.action, expected_version: this.workflow.version, reasons: option.reasons_required || reasons.length ? reasons : [] };
    if (opinion) body.opinion = opinion;
    if (option.action === "return") body.pages = [...this.form.querySelectorAll("input[name=return-pages]:checked")].map((box) => box.value);
    this.status.textContent = "";
    this.error.textContent = "";
    button.disabled = true;
    try {
      await send(`${this.base}/actions`, { method: "POST", body, headers: { "Idempotency-Key": idempotencyKey() } });
      this.form.reset();
      await this.refresh();
      this.status.textContent = TEXT.done(option.label);
    } catch (refusal) {
      this.error.textContent = refusal.status === 409 ? STALE : refusal.message;
      this.error.focus();
    } finally {
      button.disabled = false;
    }
  }

  /* Every page of the work, read-only, one after another. */
  async showPages(work) {
    const body = this.root.querySelector(".review-pages-body");
    body.replaceChildren(...work.pages.map((entry) => element("section", { className: "review-page", attributes: { "data-page": entry.key, "aria-labelledby": `rp-${entry.key}` } }, [element("h3", { className: "section-title", text: entry.title, attributes: { id: `rp-${entry.key}` } })])));
    for (const entry of work.pages) {
      const section = body.querySelector(`[data-page="${entry.key}"]`);
      try {
        const page = await send(`${this.base}/pages/${encodeURIComponent(entry.key)}`);
        section.append(element("div", { className: "entry-grid" }, scoped(renderFields(page.definition, page.values, { readOnly: true }), entry.key)), ...this.documents(page));
      } catch (refusal) {
        section.append(element("p", { className: "field-error", text: TEXT.pageFailed(refusal.message) }));
      }
    }
  }

  documents(page) {
    return page.definition.uploads.map((upload) => {
      const ids = page.documents[upload.purpose] ?? [];
      const previews = ids.map((id) => {
        const base = `${this.root.dataset.documents}/documents/${encodeURIComponent(id)}`;
        const image = element("img", { className: "review-preview", attributes: { src: `${base}/preview`, alt: TEXT.preview(upload.label), loading: "lazy" } });
        return element("a", { attributes: { href: `${base}/content?disposition=inline`, target: "_blank", rel: "noopener" } }, [image]);
      });
      return element("div", { className: "review-documents" }, [element("p", { className: "form-label", text: upload.label }), ...(previews.length ? previews : [element("span", { className: "slot-empty", text: TEXT.noDocuments })])]);
    });
  }

  async showSnapshot(id) {
    const card = this.root.querySelector(".review-snapshot");
    card.hidden = false;
    const body = card.querySelector(".review-snapshot-body");
    try {
      const snapshot = await send(`${this.root.dataset.staffing}/snapshots/${encodeURIComponent(id)}`);
      body.replaceChildren(
        snapshotTable(TEXT.snapshot.persons, snapshot.persons, [["name", "姓名"], ["id_number_masked", "证件号码"], ["category", "人员类别"], ["title_level", "职称等级"], ["major", "专业"]]),
        snapshotTable(TEXT.snapshot.equipment, snapshot.equipment, [["type", "设备类型"], ["brand", "品牌"], ["model", "型号"], ["serial", "出厂编号"], ["calibration_valid_until", "检定/校准有效期至"]]),
        snapshotTable(TEXT.snapshot.projects, snapshot.projects, [["name", "项目名称"], ["category", "专业类别"], ["amount_wan", "合同金额（万元）"]]),
      );
    } catch (refusal) {
      body.replaceChildren(element("p", { className: "field-error", text: TEXT.snapshotFailed(refusal.message) }));
    }
  }
}

/* Ids of one page's controls, made unique on a screen showing every page. */
function scoped(nodes, key) {
  for (const node of nodes) {
    for (const el of node.querySelectorAll("[id]")) el.id = `${key}-${el.id}`;
    for (const el of node.querySelectorAll("[for]")) el.htmlFor = `${key}-${el.htmlFor}`;
    for (const el of node.querySelectorAll("[aria-describedby]")) el.setAttribute("aria-describedby", el.getAttribute("aria-describedby").split(" ").map((id) => `${key}-${id}`).join(" "));
    for (const el of node.querySelectorAll("[data-error-for]")) el.removeAttribute("role");
  }
  return nodes;
}

function snapshotTable(title, items, columns) {
  const caption = element("caption", { text: `${title}（${items.length}）` });
  const head = element("thead", {}, [element("tr", {}, [...columns.map(([, label]) => element("th", { text: label, attributes: { scope: "col" } })), element("th", { text: "状态", attributes: { scope: "col" } })])]);
  const rows = items.map((item) => element("tr", { className: item.complete ? "is-complete" : "is-incomplete" }, [...columns.map(([key]) => element("td", { text: item[key] ?? "—" })), element("td", { text: item.complete ? "完整" : "不完整" })]));
  return element("table", { className: "data-table snapshot-table" }, [caption, head, element("tbody", {}, rows.length ? rows : [element("tr", { className: "empty-row" }, [element("td", { text: "无", attributes: { colspan: String(columns.length + 1) } })])])]);
}
