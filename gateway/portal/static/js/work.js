/* 测绘资质办理 — the unit's 工作列表 (templates/work_list.html): the list from GET /works with 办理
 * per row, 新建工作 (工作类型 × 证书类型 from GET /types: a choice the unit may not make is disabled
 * and says why; 确定 → POST /works, a refusal shown in the dialog), and tick + 删除 of drafts never
 * submitted (DELETE each, once confirmed). A certificate about to expire is warned about when the
 * registry says so. Every server text is written as text. */

import { deadlineText, element, emptyRow, openModal, Pager, send, timeText } from "./work/http.js";
import { CreateDialog } from "./work/create.js";
import { returnNoticeParts } from "./work/returned.js";

const PAGE_SIZE = 20;
const COLUMNS = 7;
const TEXT = {
  empty: "暂无工作，请点击“新建工作”",
  failed: (message) => `工作列表加载失败：${message}`,
  handle: "办理",
  pick: (work) => `选择：${work.application_type}（${work.certificate_type}）`,
  confirm: (works) => `确定删除所选的 ${works.length} 项工作（${works.map((w) => w.application_type).join("、")}）吗？删除后不能恢复。`,
  deleted: (count) => `已删除 ${count} 项工作`,
  created: (work) => `已新建工作：${work.application_type}（${work.certificate_type}），请点击“办理”填报信息`,
  expiring: (c) => `您单位的${c.certificate_type}（证书编号 ${c.number}）将于 ${c.valid_until} 到期，请及时办理相关手续。`,
};

class WorkList {
  constructor(root) {
    this.root = root;
    this.api = root.dataset.api;
    this.rows = root.querySelector(".work-table tbody");
    this.heading = root.querySelector("#works-heading");
    this.status = root.querySelector(".work-status");
    this.error = root.querySelector(".work-error");
    this.deleteButton = root.querySelector("[data-delete]");
    this.confirmDialog = root.querySelector(".work-confirm");
    this.pager = new Pager(root.querySelector(".work-pages"), (page) => this.show(page));
    this.items = [];
  }

  start() {
    this.rows.addEventListener("change", () => this.updateDelete());
    this.deleteButton.addEventListener("click", () => this.confirmDelete());
    return this.show(1);
  }

  async show(page) {
    const query = new URLSearchParams({ page: String(Math.max(1, page)), page_size: String(PAGE_SIZE) });
    try {
      const listing = await send(`${this.api}/works?${query}`);
      this.error.textContent = "";
      this.items = listing.items;
      this.rows.replaceChildren(...(listing.items.length ? listing.items.flatMap((work) => this.row(work)) : [emptyRow(TEXT.empty, COLUMNS)]));
      this.pager.render(listing);
    } catch (refusal) {
      this.error.textContent = TEXT.failed(refusal.message);
      this.rows.replaceChildren(emptyRow("—", COLUMNS));
    }
    this.updateDelete();
  }

  row(work) {
    const tick = element("input", { className: "check", attributes: { type: "checkbox", "aria-label": TEXT.pick(work) } });
    tick.dataset.work = work.id;
    tick.disabled = !work.deletable;
    const handle = element("a", { className: "button button-small", text: TEXT.handle, attributes: { href: `/work/${encodeURIComponent(work.id)}`, "aria-label": `办理：${work.application_type}（${work.certificate_type}）` } });
    const row = element("tr", { attributes: { "data-work": work.id } }, [
      element("td", { className: "col-check" }, [tick]),
      element("td", { text: work.application_type }),
      element("td", { text: work.certificate_type }),
      element("td", {}, [element("span", { className: `tag tag-state tag-${work.state}`, text: work.state_label })]),
      element("td", { className: "col-deadline", text: deadlineText(work) }),
      element("td", { text: timeText(work.created_at) }),
      element("td", { className: "col-actions" }, [handle]),
    ]);
    if (!work.return_notice) return row;
    // 退回补齐: the authority's whole notice under the row, not only a state tag
    const notice = element("td", { attributes: { colspan: String(COLUMNS) } }, [element("div", { className: "alert alert-warning returned-notice" }, returnNoticeParts(work.return_notice, { level: 3 }))]);
    return [row, element("tr", { className: "returned-row", attributes: { "data-returned": work.id } }, [notice])];
  }

  ticked() {
    const ids = [...this.rows.querySelectorAll("input[type=checkbox]:checked")].map((box) => box.dataset.work);
    return this.items.filter((work) => ids.includes(work.id));
  }

  updateDelete() {
    this.deleteButton.disabled = this.ticked().length === 0;
  }

  confirmDelete() {
    const works = this.ticked();
    if (!works.length) return;
    const dialog = this.confirmDialog;
    dialog.querySelector(".dialog-text").textContent = TEXT.confirm(works);
    dialog.returnValue = "";
    dialog.addEventListener("close", () => (dialog.returnValue === "confirm" ? this.remove(works) : this.deleteButton.focus()), { once: true });
    dialog.showModal();
  }

  async remove(works) {
    let removed = 0;
    this.status.textContent = "";
    this.error.textContent = "";
    for (const work of works) {
      try {
        await send(`${this.api}/works/${encodeURIComponent(work.id)}`, { method: "DELETE", headers: { "If-Match": String(work.version) } });
        removed += 1;
      } catch (refusal) {
        this.error.textContent = `${work.application_type}：${refusal.message}`;
      }
    }
    if (removed) this.status.textContent = TEXT.deleted(removed);
    await this.show(this.pager.page);
    this.heading.focus();
  }

  say(message) {
    this.status.textContent = message;
  }
}

/* A certificate about to expire (the registry's 我的资质证书, ``expiring_soon``); silent without it. */
async function warnExpiring(box) {
  try {
    const mine = await send("/api/registry/certificates/mine");
    const soon = mine.items.filter((certificate) => certificate.expiring_soon);
    if (!soon.length) return;
    box.replaceChildren(...soon.map((certificate) => element("p", { text: TEXT.expiring(certificate) })));
    box.hidden = false;
  } catch {
    /* the registry is not reachable: no warning to give */
  }
}

function start(root) {
  const list = new WorkList(root);
  const create = new CreateDialog(root.querySelector(".work-create"), root.dataset.api, {
    onCreated: async (work) => {
      await list.show(1);
      list.say(TEXT.created(work));
    },
  });
  root.querySelector('[data-open="create"]').addEventListener("click", (event) => {
    openModal(create.dialog, event.currentTarget);
    create.open();
  });
  root.addEventListener("click", (event) => event.target.closest("[data-close]")?.closest("dialog")?.close());
  create.start();
  list.start();
  warnExpiring(root.querySelector(".work-warnings"));
}

const root = document.querySelector("[data-work-list]");
if (root) start(root);
