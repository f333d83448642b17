/* 材料上传 — the upload component of templates/_upload.html (one per [data-upload] element).
 *
 * Configured by the element's data- attributes: data-api (the documents API through the gateway),
 * data-purposes (the 材料类型 offered, comma-separated; empty: all), data-list-purpose (the 材料类型
 * listed; empty: all), data-max-bytes and data-types (the pre-check). The pre-check only spares
 * the unit a useless upload: the gateway and the documents service decide, and their message is
 * shown next to the field it names. Texts are the portal's; names from the server are set as text,
 * never as HTML.
 *
 * A panel without a list (``listed=False`` in the template) only uploads. Every stored upload is
 * announced by a bubbling ``upload:stored`` event (detail: the service's Document), so a form
 * around it can attach the document; an ``upload:reset`` event sent to the panel clears it.
 */

import { timeText } from "./beijing.js";

const PAGE_SIZE = 20;
const MIME_TYPES = { jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", pdf: "application/pdf" };
const TEXT = {
  choosePurpose: "请选择材料类型",
  chooseFile: "请选择要上传的文件",
  tooLarge: (limit) => `单个文件大小不能超过${limit}`,
  wrongType: "仅支持 jpg、png、pdf 格式的文件",
  uploaded: (name) => `上传成功：${name}`,
  deleted: (name) => `已删除：${name}`,
  network: "网络连接中断，请检查网络后重试",
  unavailable: "服务暂时不可用，请稍后再试",
  purposesFailed: (message) => `材料类型加载失败：${message}`,
  listFailed: (message) => `材料列表加载失败：${message}`,
  empty: "暂无材料",
  frozen: "已冻结",
  frozenHint: "已随申请提交，不能删除",
  preview: "预览",
  remove: "删除",
  thumbnail: (name) => `${name} 的缩略图`,
  confirm: (name) => `确定删除“${name}”吗？删除后不能恢复。`,
  page: (page, pages) => `第 ${page} / ${pages} 页`,
};

function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content ?? "";
}

function megabytes(bytes) {
  return `${Number((bytes / 1048576).toFixed(2))}MB`;
}

function sizeText(bytes) {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function element(tag, { className, text, attributes } = {}, children = []) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes ?? {})) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/* The ErrorBody {code, message, details} of a refusal, or a stand-in when there is none. */
function refusalOf(status, text) {
  try {
    const body = JSON.parse(text);
    if (body && typeof body.message === "string") return body;
  } catch {
    /* not JSON: fall through */
  }
  return { code: `http_${status}`, message: TEXT.unavailable, details: null };
}

async function requestJson(url, options = {}) {
  let response;
  try {
    response = await fetch(url, { credentials: "same-origin", ...options });
  } catch {
    throw { code: "network", message: TEXT.network, details: null };
  }
  const text = response.status === 204 ? "" : await response.text();
  if (!response.ok) throw refusalOf(response.status, text);
  return text ? JSON.parse(text) : null;
}

class UploadPanel {
  constructor(root) {
    this.root = root;
    this.api = root.dataset.api;
    this.form = root.querySelector(".upload-form");
    this.purpose = this.form.elements.purpose;
    this.file = this.form.elements.file;
    this.submitButton = this.form.querySelector('button[type="submit"]');
    this.progressBox = root.querySelector(".upload-progress");
    this.progress = this.progressBox.querySelector("progress");
    this.percent = this.progressBox.querySelector(".upload-percent");
    this.status = root.querySelector(".upload-status");
    this.listError = root.querySelector(".upload-list-error");
    this.listHeading = root.querySelector(".upload-list-title");
    this.rows = root.querySelector(".upload-table tbody");
    this.pager = root.querySelector(".upload-pages");
    this.dialog = root.querySelector(".confirm-dialog");
    this.page = 1;
  }

  start() {
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.purpose.addEventListener("change", () => this.clearError("purpose"));
    this.file.addEventListener("change", () => this.clearError("file"));
    this.root.addEventListener("upload:reset", () => this.reset());
    if ("picker" in this.root.dataset) {
      this.root.addEventListener("upload:choose", (event) => this.choose(event.detail.purpose));
      this.file.addEventListener("change", () => this.file.files.length && this.submit());
    }
    this.loadPurposes();
    if (!this.rows) return; // no list: the page attaches what is uploaded (upload:stored)
    this.pager.addEventListener("click", (event) => {
      const step = event.target.closest("button")?.dataset.page;
      if (step) this.showPage(this.page + (step === "next" ? 1 : -1));
    });
    this.showPage(1);
  }

  reset() {
    this.form.reset();
    this.clearError("purpose");
    this.clearError("file");
    this.status.textContent = "";
  }

  /* A row's 上传 (picker panels): its 材料类型, then the file picker at once (still inside the
   * click, which the browser requires); choosing a file starts the upload. */
  choose(purpose) {
    this.reset();
    this.purpose.value = purpose;
    this.file.click();
  }

  /* 材料类型: the service's list, narrowed to data-purposes when given. */
  async loadPurposes() {
    const wanted = this.root.dataset.purposes.split(",").filter(Boolean);
    try {
      const { items } = await requestJson(`${this.api}/purposes`);
      for (const item of items) {
        if (wanted.length && !wanted.includes(item.value)) continue;
        this.purpose.append(element("option", { text: item.label, attributes: { value: item.value } }));
      }
    } catch (refusal) {
      this.showError("purpose", TEXT.purposesFailed(refusal.message));
    }
  }

  /* The pre-check, mirroring the server: the field and message of the first problem, or null. */
  precheck() {
    if (!this.purpose.value) return ["purpose", TEXT.choosePurpose];
    const file = this.file.files[0];
    if (!file) return ["file", TEXT.chooseFile];
    const extension = file.name.includes(".") ? file.name.split(".").pop().toLowerCase() : "";
    const types = this.root.dataset.types.split(",");
    if (!types.includes(extension) || (file.type && file.type !== MIME_TYPES[extension])) {
      return ["file", TEXT.wrongType];
    }
    const limit = Number(this.root.dataset.maxBytes);
    if (file.size > limit) return ["file", TEXT.tooLarge(megabytes(limit))];
    return null;
  }

  submit() {
    this.clearError("purpose");
    this.clearError("file");
    this.status.textContent = "";
    const problem = this.precheck();
    if (problem) {
      this.showError(...problem);
      return;
    }
    const body = new FormData();
    body.append("purpose", this.purpose.value);
    body.append("file", this.file.files[0]);
    this.send(body, this.file.files[0].name);
  }

  /* XMLHttpRequest, not fetch: only it reports upload progress. */
  send(body, name) {
    const request = new XMLHttpRequest();
    request.open("POST", `${this.api}/documents`);
    request.setRequestHeader("X-CSRF-Token", csrfToken());
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) this.showProgress(Math.round((event.loaded / event.total) * 100));
    });
    request.addEventListener("load", () => {
      this.finishSending();
      if (request.status === 201) {
        this.form.reset();
        this.status.textContent = TEXT.uploaded(name);
        this.announce(request.responseText);
        if (this.rows) this.showPage(1);
      } else {
        this.showRefusal(refusalOf(request.status, request.responseText));
      }
    });
    request.addEventListener("error", () => {
      this.finishSending();
      this.showError("file", TEXT.network);
    });
    this.submitButton.disabled = true;
    this.showProgress(0);
    this.progressBox.hidden = false;
    request.send(body);
  }

  /* upload:stored, with the stored Document, for a form that attaches it. */
  announce(text) {
    let stored = null;
    try {
      stored = JSON.parse(text);
    } catch {
      return;
    }
    this.root.dispatchEvent(new CustomEvent("upload:stored", { bubbles: true, detail: stored }));
  }

  finishSending() {
    this.submitButton.disabled = false;
    this.progressBox.hidden = true;
  }

  showProgress(percent) {
    this.progress.value = percent;
    this.percent.textContent = `${percent}%`;
  }

  /* The server's words, next to the field its details name (the file when it names none). */
  showRefusal(refusal) {
    const named = refusal.details?.field ?? (Array.isArray(refusal.details) ? refusal.details[0]?.field : null);
    const field = typeof named === "string" ? named.replace(/^\$\./, "") : null;  // "$.purpose" → "purpose"
    this.showError(field === "purpose" ? "purpose" : "file", refusal.message);
  }

  showError(field, message) {
    const control = this.form.elements[field];
    this.root.querySelector(`[data-error-for="${field}"]`).textContent = message;
    control.setAttribute("aria-invalid", "true");
    control.closest(".form-field").classList.add("has-error");
  }

  clearError(field) {
    const control = this.form.elements[field];
    this.root.querySelector(`[data-error-for="${field}"]`).textContent = "";
    control.removeAttribute("aria-invalid");
    control.closest(".form-field").classList.remove("has-error");
  }

  async showPage(page) {
    const query = new URLSearchParams({ page: String(Math.max(1, page)), page_size: String(PAGE_SIZE) });
    if (this.root.dataset.listPurpose) query.set("purpose", this.root.dataset.listPurpose);
    try {
      const listing = await requestJson(`${this.api}/documents?${query}`);
      this.listError.textContent = "";
      this.page = listing.page;
      this.renderRows(listing.items);
      this.renderPager(listing);
    } catch (refusal) {
      this.listError.textContent = TEXT.listFailed(refusal.message);
      this.renderRows([], "—");
    }
  }

  renderRows(documents, emptyText = TEXT.empty) {
    const rows = documents.map((doc) => this.row(doc));
    if (!rows.length) {
      rows.push(element("tr", { className: "empty-row" }, [element("td", { text: emptyText, attributes: { colspan: "7" } })]));
    }
    this.rows.replaceChildren(...rows);
  }

  row(doc) {
    const base = `${this.api}/documents/${encodeURIComponent(doc.id)}`;
    const thumbnail = element("img", {
      className: "upload-thumb",
      attributes: { src: `${base}/preview`, alt: TEXT.thumbnail(doc.filename), width: "64", height: "64", loading: "lazy" },
    });
    const preview = element("a", { text: TEXT.preview, attributes: { href: `${base}/content?disposition=inline`, target: "_blank", rel: "noopener" } }, [
      element("span", { className: "visually-hidden", text: `：${doc.filename}（新窗口）` }),
    ]);
    const remove = element("button", { className: "link-button", text: TEXT.remove, attributes: { type: "button" } }, [
      element("span", { className: "visually-hidden", text: `：${doc.filename}` }),
    ]);
    if (doc.frozen) {
      remove.disabled = true;
      remove.title = TEXT.frozenHint;
    } else {
      remove.addEventListener("click", () => this.confirmDelete(doc, base, remove));
    }
    const state = doc.frozen ? [element("span", { className: "tag tag-frozen", text: TEXT.frozen, attributes: { title: TEXT.frozenHint } })] : [];
    return element("tr", { attributes: { "data-document": doc.id } }, [
      element("td", { className: "col-thumb" }, [thumbnail]),
      element("td", { text: doc.purpose }),
      element("td", { className: "col-name", text: doc.filename }),
      element("td", { className: "col-size", text: sizeText(doc.size) }),
      element("td", { className: "col-time" }, [element("time", { text: timeText(doc.created_at), attributes: { datetime: doc.created_at } })]),
      element("td", { className: "col-state" }, state),
      element("td", { className: "col-actions" }, [preview, remove]),
    ]);
  }

  renderPager({ page, page_size: size, total }) {
    const pages = Math.max(1, Math.ceil(total / size));
    this.pager.hidden = pages <= 1;
    this.pager.querySelector(".upload-page-text").textContent = TEXT.page(page, pages);
    this.pager.querySelector('[data-page="previous"]').disabled = page <= 1;
    this.pager.querySelector('[data-page="next"]').disabled = page >= pages;
  }

  /* 删除, once the unit has confirmed it in the dialog; focus goes back where it was. */
  confirmDelete(doc, base, opener) {
    this.dialog.querySelector(".dialog-text").textContent = TEXT.confirm(doc.filename);
    this.dialog.returnValue = "";
    this.dialog.addEventListener(
      "close",
      async () => {
        if (this.dialog.returnValue !== "delete") {
          opener.focus();
          return;
        }
        try {
          await requestJson(base, { method: "DELETE", headers: { "X-CSRF-Token": csrfToken() } });
          this.status.textContent = TEXT.deleted(doc.filename);
          await this.showPage(this.page);
        } catch (refusal) {
          this.listError.textContent = refusal.message;
        }
        this.listHeading.focus(); // the row and its button may be gone
      },
      { once: true },
    );
    this.dialog.showModal();
  }
}

for (const root of document.querySelectorAll("[data-upload]")) new UploadPanel(root).start();
