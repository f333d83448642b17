/* 撤回 on the unit's 信息填报 page: offered only when the service lists ``withdraw`` among the
 * unit's actions (WorkflowStatus.actions: 已提交 before acceptance, or 退回补齐). It asks first
 * (a modal dialog), then sends POST /works/{id}/actions with the version read and a fresh
 * Idempotency-Key; a 409 says 该申请已被他人处理，请刷新后查看 (the authority acted first). */

import { idempotencyKey, send, STALE } from "./http.js";

const TEXT = {
  done: "已撤回，本工作办理结束",
};

export class WithdrawControl {
  /* ``button`` shows and starts it, ``dialog`` asks; ``onDone(message)`` and ``onRefused(message)``
   * report the outcome to the page. */
  constructor(button, dialog, { base, onDone, onRefused }) {
    this.button = button;
    this.dialog = dialog;
    this.base = base;
    this.onDone = onDone;
    this.onRefused = onRefused;
    this.status = null;
    button.addEventListener("click", () => this.confirm());
  }

  /* Shown when ``status`` (a WorkflowStatus, or null for a draft) offers 撤回. */
  show(status) {
    this.status = status;
    this.button.hidden = !status?.actions?.some((option) => option.action === "withdraw");
  }

  confirm() {
    this.dialog.returnValue = "";
    this.dialog.addEventListener("close", () => this.dialog.returnValue === "confirm" && this.withdraw(), { once: true });
    this.dialog.showModal();
  }

  async withdraw() {
    this.button.disabled = true;
    try {
      const body = { action: "withdraw", expected_version: this.status.version };
      await send(`${this.base}/actions`, { method: "POST", body, headers: { "Idempotency-Key": idempotencyKey() } });
      await this.onDone(TEXT.done);
    } catch (refusal) {
      this.onRefused(refusal.status === 409 ? STALE : refusal.message);
    } finally {
      this.button.disabled = false;
    }
  }
}
