/* 单位信息 — 技术人员信息, 技术装备信息 and 测绘业绩信息 (templates/_roster.html): one module for the
 * three pages, driven by the page's [data-roster] element (data-roster: persons / equipment /
 * projects, data-api: its collection under /api/staffing, the words for its entries, and the
 * list's columns in its table head). Its parts live in ./roster/. Every text from the server
 * goes into the page as text, never as HTML. */

import { entryName, openModal, requestJson } from "./roster/dom.js";
import { EntryDialog } from "./roster/entry.js";
import { FulfilmentDialog } from "./roster/fulfilment.js";
import { LegacyDialog } from "./roster/legacy.js";
import { RosterList } from "./roster/list.js";

const TEXT = {
  confirm: (remove, name, noun) =>
    remove === "移除" ? `确定移除“${name}”吗？移除后该${noun}不再计入本单位。` : `确定删除“${name}”吗？删除后不能恢复。`,
  removed: (remove, name) => `已${remove}：${name}`,
};

/* 移除 / 删除, only once the unit has confirmed it; focus goes back where it was. */
function confirmRemoval(root, config, list) {
  const dialog = root.querySelector(".roster-confirm");
  return (item, opener) => {
    const name = entryName(config.roster, item);
    dialog.querySelector(".dialog-text").textContent = TEXT.confirm(config.removeLabel, name, config.noun);
    dialog.returnValue = "";
    dialog.addEventListener(
      "close",
      async () => {
        if (dialog.returnValue !== "confirm") {
          opener.focus();
          return;
        }
        try {
          await requestJson(`${config.api}/${encodeURIComponent(item.id)}`, { method: "DELETE" });
          list.say(TEXT.removed(config.removeLabel, name));
          await list.refresh();
        } catch (refusal) {
          list.say("");
          list.error.textContent = refusal.message;
        }
        list.focusHeading(); // the row and its button may be gone
      },
      { once: true },
    );
    dialog.showModal();
  };
}

function start(root) {
  const config = { ...root.dataset };
  const list = new RosterList(root, config);
  const entry = new EntryDialog(root, config, {
    onSaved: (message) => {
      if (message) list.say(message);
      list.refresh();
    },
  });
  const fulfilment = root.querySelector(".fulfilment-dialog") ? new FulfilmentDialog(root, config) : null;
  const legacy = root.querySelector(".legacy-dialog") ? new LegacyDialog(root, config, { onTransferred: () => list.refresh() }) : null;
  list.onEdit = (item, button) => entry.openEdit(item, button);
  list.onRemove = confirmRemoval(root, config, list);
  const openers = {
    add: (button) => entry.openAdd(button),
    fulfilment: (button) => {
      openModal(fulfilment.dialog, button);
      return fulfilment.open();
    },
    legacy: (button) => {
      openModal(legacy.dialog, button);
      return legacy.open();
    },
  };
  root.addEventListener("click", (event) => {
    const opener = event.target.closest("[data-open]");
    if (opener) openers[opener.dataset.open]?.(opener);
    event.target.closest("[data-close]")?.closest("dialog")?.close();
  });
  entry.start();
  fulfilment?.start();
  legacy?.start();
  list.start();
}

const root = document.querySelector("[data-roster]");
if (root) start(root);
