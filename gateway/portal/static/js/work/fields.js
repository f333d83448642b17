/* A page of a work rendered from the definition the service sends (contracts/applications/api.py
 * PageDefinition): one control per field by its kind, required fields marked *, read-only fields
 * disabled, and ``collect`` reading the values back in the shape SavePage takes. Each field has a
 * message slot ([data-error-for=<key>]) that describes it. The same code renders a page read-only
 * for the review screen (``readOnly``). */

import { element } from "./http.js";

const TEXT = {
  choose: "请选择",
  province: "所在省份",
  detail: "详细地址",
  addPerson: "添加一人",
  removePerson: (label, n) => `删除${label}第${n}人`,
  person: (label, n) => `${label}第${n}人`,
  sameAsLegal: "同法定代表人",
  noLevel: "不申请",
  category: "专业类别",
  level: "等级",
  subItems: "专业子项",
  added: "增加：",
  removed: "减少：",
  nothing: "无",
  confirmRemoval: (category) => `确认从资质证书中减少：${category}`,
  lockedHint: "如需变更，请发起“基本信息变更”",
};

/* Kinds whose read-only form is their own (a list or a table, shown disabled). */
const FIXED_KINDS = new Set(["people", "levels", "removals"]);

/* The form's controls for ``definition`` with ``values``; ``readOnly`` disables every control and
 * leaves out the fields' help, which tells the unit how to fill them in (同法定代表人 …). */
export function renderFields(definition, values, { readOnly = false } = {}) {
  const people = definition.fields.filter((f) => f.kind === "people");
  const blocks = definition.fields.map((field) => {
    const context = { readOnly: readOnly || field.read_only, firstPeople: people[0]?.key, levelOptions: definition.level_options ?? [], current: definition.current_levels ?? [] };
    return fieldBlock(readOnly ? { ...field, help: null } : field, values[field.key], context);
  });
  const levels = blocks.find((block) => block.dataset.kind === "levels");
  const removals = blocks.find((block) => block.dataset.kind === "removals");
  if (levels && removals) {
    const update = () => removals.querySelector("[data-removals]").scopeChanges(chosenCategories(levels));
    levels.addEventListener("change", update);
    update();
  }
  return blocks;
}

function chosenCategories(levelsBlock) {
  return [...levelsBlock.querySelectorAll("select[data-category]")].filter((select) => select.value).map((select) => select.dataset.category);
}

function describedBy(key, field) {
  return [field.help ? `h-${key}` : "", `e-${key}`].filter(Boolean).join(" ");
}

function label(field, forId) {
  const attributes = forId ? { for: forId } : {};
  return element("label", { className: `form-label${field.required ? " is-required" : ""}`, text: field.label, attributes });
}

function messages(field) {
  return [
    ...(field.help ? [element("p", { className: "field-hint", text: field.help, attributes: { id: `h-${field.key}` } })] : []),
    element("p", { className: "field-error", attributes: { id: `e-${field.key}`, role: "alert", "data-error-for": field.key } }),
  ];
}

function fieldBlock(field, value, context) {
  if (field.read_only && !FIXED_KINDS.has(field.kind)) return readOnlyBlock(field, value);
  const render = RENDER[field.kind] ?? RENDER.text;
  const wide = ["textarea", "people", "levels", "province_address"].includes(field.kind);
  const block = element("div", { className: `form-field${wide ? " is-wide" : ""}`, attributes: { "data-field": field.key, "data-kind": field.kind } });
  block.append(...render(field, value, context));
  return block;
}

/* A field the unit cannot change here (统一社会信用代码; 单位名称, 注册地址 and 法定代表人 once the
 * unit is verified): its value as text, not a disabled box, and for a locked one where it is changed. */
function readOnlyBlock(field, value) {
  const block = element("div", { className: "form-field is-read-only", attributes: { "data-field": field.key, "data-kind": field.kind } });
  const shown = element("dl", { className: "read-only-field" }, [
    element("dt", { className: "form-label", text: field.label }),
    element("dd", { className: "read-only-value", text: valueText(field, value) || "—", attributes: { id: `f-${field.key}`, "aria-describedby": describedBy(field.key, field) } }),
  ]);
  const hint = field.locked ? [element("p", { className: "field-hint read-only-hint", text: TEXT.lockedHint })] : [];
  block.append(shown, ...hint, ...messages(field));
  return block;
}

function valueText(field, value) {
  const option = (v) => field.options.find((o) => o.value === v)?.label ?? v ?? "";
  if (field.kind === "province_address" && value && typeof value === "object") return `${option(value.province)}${value.detail ?? ""}`;
  return field.kind === "select" ? option(value) : String(value ?? "");
}

function control(tag, field, id, context, attributes = {}) {
  const node = element(tag, { className: "input", attributes: { id, name: field.key, "aria-describedby": describedBy(field.key, field), ...attributes } });
  if (field.required) node.required = true;
  if (field.max_length) node.maxLength = field.max_length;
  node.disabled = context.readOnly;
  return node;
}

function selectOf(field, id, value, context, options) {
  const select = control("select", field, id, context);
  select.append(element("option", { text: TEXT.choose, attributes: { value: "" } }), ...options.map((o) => element("option", { text: o.label, attributes: { value: o.value } })));
  select.value = value ?? "";
  return select;
}

const RENDER = {
  text(field, value, context) {
    const input = control("input", field, `f-${field.key}`, context, { type: "text", autocomplete: "off" });
    input.value = value ?? "";
    return [label(field, input.id), input, ...messages(field)];
  },
  textarea(field, value, context) {
    const area = control("textarea", field, `f-${field.key}`, context, { rows: "8" });
    area.value = value ?? "";
    return [label(field, area.id), area, ...messages(field)];
  },
  date(field, value, context) {
    const input = control("input", field, `f-${field.key}`, context, { type: "date" });
    input.value = value ?? "";
    return [label(field, input.id), input, ...messages(field)];
  },
  number(field, value, context) {
    const input = control("input", field, `f-${field.key}`, context, { type: "text", inputmode: "decimal", autocomplete: "off" });
    input.value = value ?? "";
    return [label(field, input.id), input, ...messages(field)];
  },
  select(field, value, context) {
    const select = selectOf(field, `f-${field.key}`, value, context, field.options);
    return [label(field, select.id), select, ...messages(field)];
  },
  certificate(field, value, context) {
    return RENDER.select(field, value, context);
  },
  province_address(field, value, context) {
    const set = element("fieldset", { className: "work-fieldset", attributes: { "aria-describedby": describedBy(field.key, field) } });
    set.append(element("legend", { className: `form-label${field.required ? " is-required" : ""}`, text: field.label }));
    const province = selectOf({ ...field, max_length: null }, `f-${field.key}-province`, value?.province, context, field.options);
    province.name = `${field.key}.province`;
    const detail = control("input", { ...field, max_length: 200 }, `f-${field.key}-detail`, context, { type: "text", autocomplete: "off" });
    detail.name = `${field.key}.detail`;
    detail.value = value?.detail ?? "";
    set.append(
      element("div", { className: "work-address" }, [
        element("div", {}, [element("label", { className: "form-label", text: TEXT.province, attributes: { for: province.id } }), province]),
        element("div", {}, [element("label", { className: "form-label", text: TEXT.detail, attributes: { for: detail.id } }), detail]),
      ]),
      ...messages(field),
    );
    return [set];
  },
  people(field, value, context) {
    return [new PeopleField(field, Array.isArray(value) ? value : [], context).node];
  },
  levels(field, value, context) {
    return [levelsTable(field, Array.isArray(value) ? value : [], context)];
  },
  removals(field, value, context) {
    return [scopeChangesBlock(field, Array.isArray(value) ? value : [], context)];
  },
};

/* 专业范围变更: 增加 and 减少 against the certificate's 专业范围 (``current_levels``), kept current
 * as 等级 are chosen, and a confirmation naming each 专业 dropped (the service refuses 保存 and 提交
 * while one is not confirmed). The block is the ``removals`` field; its value is the confirmed list. */
function scopeChangesBlock(field, confirmed, context) {
  const set = element("fieldset", { className: "work-fieldset scope-changes", attributes: { "data-removals": field.key, "aria-describedby": describedBy(field.key, field) } });
  const added = element("p", { className: "scope-added" });
  const removed = element("p", { className: "scope-removed" });
  const boxes = element("div", { className: "scope-confirmations" });
  set.append(element("legend", { className: "form-label", text: field.label }), added, removed, boxes, ...messages(field));
  const held = context.current.map((item) => item.category);
  const ticked = new Set(confirmed);
  set.scopeChanges = (chosen) => {
    for (const box of boxes.querySelectorAll("input")) box.checked ? ticked.add(box.value) : ticked.delete(box.value);
    const gone = held.filter((category) => !chosen.includes(category));
    added.textContent = TEXT.added + (chosen.filter((category) => !held.includes(category)).join("、") || TEXT.nothing);
    removed.textContent = TEXT.removed + (gone.join("、") || TEXT.nothing);
    boxes.replaceChildren(...gone.map((category, n) => removalBox(field, category, n, ticked.has(category), context)));
  };
  return set;
}

function removalBox(field, category, n, checked, context) {
  const box = element("input", { className: "check", attributes: { type: "checkbox", id: `f-${field.key}-${n}`, value: category } });
  box.checked = checked;
  box.disabled = context.readOnly;
  return element("div", { className: "form-field is-check" }, [box, element("label", { text: TEXT.confirmRemoval(category), attributes: { for: box.id } })]);
}

/* 法人及分管资质申报领导信息: a row of inputs per person; 同法定代表人 copies the first ``people``
 * field's first person (the legal representative) into a row of another ``people`` field. */
class PeopleField {
  constructor(field, items, context) {
    this.field = field;
    this.context = context;
    this.node = element("fieldset", { className: "work-fieldset work-people", attributes: { "data-people": field.key, "aria-describedby": describedBy(field.key, field) } });
    this.node.append(element("legend", { className: `form-label${field.required ? " is-required" : ""}`, text: field.label }));
    this.list = element("div", { className: "people-rows" });
    this.node.append(this.list, ...messages(field));
    const wanted = Math.max(items.length, field.min_items ?? 1, 1);
    for (let i = 0; i < wanted; i += 1) this.addRow(items[i] ?? {});
    if (!context.readOnly) {
      const add = element("button", { className: "button button-small", text: TEXT.addPerson, attributes: { type: "button" } });
      add.addEventListener("click", () => this.addRow({}));
      this.addButton = add;
      this.node.append(add);
      this.update();
    }
  }

  addRow(item) {
    const n = this.list.children.length + 1;
    const row = element("div", { className: "people-row", attributes: { role: "group", "aria-label": TEXT.person(this.field.label, n) } });
    for (const inner of this.field.item_fields) {
      const id = `f-${this.field.key}-${n}-${inner.key}`;
      const input = element("input", { className: "input", attributes: { id, type: "text", autocomplete: "off", "data-item": inner.key } });
      if (inner.max_length) input.maxLength = inner.max_length;
      input.value = item[inner.key] ?? "";
      input.disabled = this.context.readOnly;
      row.append(element("div", { className: "people-cell" }, [label(inner, id), input]));
    }
    if (!this.context.readOnly) row.append(this.rowActions(row, n));
    this.list.append(row);
    this.update();
  }

  rowActions(row, n) {
    const actions = element("div", { className: "people-actions" });
    if (this.context.firstPeople && this.context.firstPeople !== this.field.key) {
      const same = element("button", { className: "button button-small", text: TEXT.sameAsLegal, attributes: { type: "button", "aria-label": `${TEXT.sameAsLegal}：${TEXT.person(this.field.label, n)}` } });
      same.addEventListener("click", () => copyLegal(row, this.context.firstPeople));
      actions.append(same);
    }
    const remove = element("button", { className: "link-button", text: "删除", attributes: { type: "button", "aria-label": TEXT.removePerson(this.field.label, n) } });
    remove.addEventListener("click", () => {
      row.remove();
      this.update();
      this.node.dispatchEvent(new Event("input", { bubbles: true }));
    });
    actions.append(remove);
    return actions;
  }

  update() {
    const count = this.list.children.length;
    if (this.addButton) this.addButton.disabled = this.field.max_items !== null && count >= (this.field.max_items ?? Infinity);
    for (const button of this.list.querySelectorAll(".people-actions .link-button")) button.disabled = count <= (this.field.min_items ?? 0);
  }
}

function copyLegal(row, legalKey) {
  const legal = document.querySelector(`[data-people="${legalKey}"] .people-row`);
  if (!legal) return;
  for (const input of row.querySelectorAll("input[data-item]")) {
    const source = legal.querySelector(`input[data-item="${input.dataset.item}"]`);
    if (source) input.value = source.value;
  }
  row.dispatchEvent(new Event("input", { bubbles: true }));
}

/* 专业范围: a row per 专业类别 of the standard in force — its 等级 (or 不申请) and its 专业子项. */
function levelsTable(field, chosen, context) {
  const byCategory = Object.fromEntries(chosen.map((item) => [item.category, item]));
  const set = element("fieldset", { className: "work-fieldset", attributes: { "aria-describedby": describedBy(field.key, field) } });
  set.append(element("legend", { className: `form-label${field.required ? " is-required" : ""}`, text: field.label }));
  const head = element("thead", {}, [element("tr", {}, [TEXT.category, TEXT.level, TEXT.subItems].map((text) => element("th", { text, attributes: { scope: "col" } })))]);
  const rows = context.levelOptions.map((option, index) => levelRow(option, byCategory[option.category], index, context));
  set.append(element("table", { className: "data-table levels-table", attributes: { "data-levels": field.key } }, [head, element("tbody", {}, rows)]), ...messages(field));
  return set;
}

function levelRow(option, item, index, context) {
  const id = `f-levels-${index}`;
  const select = element("select", { className: "input", attributes: { id, "data-category": option.category } });
  select.append(element("option", { text: TEXT.noLevel, attributes: { value: "" } }), ...option.levels.map((level) => element("option", { text: level, attributes: { value: level } })));
  select.value = item?.level ?? "";
  select.disabled = context.readOnly;
  const subs = option.sub_items.map((sub, n) => {
    const box = element("input", { className: "check", attributes: { type: "checkbox", id: `${id}-s${n}`, "data-sub": sub } });
    box.checked = Boolean(item?.sub_items?.includes(sub));
    box.disabled = context.readOnly;
    return element("span", { className: "level-sub" }, [box, element("label", { text: sub, attributes: { for: box.id } })]);
  });
  return element("tr", { attributes: { "data-category": option.category } }, [
    element("th", { attributes: { scope: "row" } }, [element("label", { text: option.category, attributes: { for: id } })]),
    element("td", {}, [select]),
    element("td", {}, subs.length ? subs : [document.createTextNode("—")]),
  ]);
}

/* The values of the rendered page, as SavePage.values takes them (empty fields left out). */
export function collect(container, definition) {
  const values = {};
  for (const field of definition.fields) {
    if (field.read_only) continue;
    const value = READ[field.kind]?.(container, field) ?? readInput(container, field);
    if (value !== "" && value !== null && value !== undefined) values[field.key] = value;
  }
  return values;
}

function readInput(container, field) {
  return container.querySelector(`#f-${CSS.escape(field.key)}`)?.value.trim() ?? "";
}

const READ = {
  number(container, field) {
    const text = readInput(container, field);
    return text === "" ? "" : Number.isFinite(Number(text)) ? Number(text) : text;
  },
  province_address(container, field) {
    const province = container.querySelector(`#f-${CSS.escape(field.key)}-province`).value;
    const detail = container.querySelector(`#f-${CSS.escape(field.key)}-detail`).value.trim();
    return province || detail ? { province, detail } : "";
  },
  people(container, field) {
    const rows = [...container.querySelectorAll(`[data-people="${CSS.escape(field.key)}"] .people-row`)];
    const items = rows.map((row) => Object.fromEntries([...row.querySelectorAll("input[data-item]")].map((input) => [input.dataset.item, input.value.trim()]).filter(([, v]) => v)));
    const filled = items.filter((item) => Object.keys(item).length);
    return filled.length ? filled : "";
  },
  removals(container, field) {
    const ticked = [...container.querySelectorAll(`[data-removals="${CSS.escape(field.key)}"] input:checked`)].map((box) => box.value);
    return ticked.length ? ticked : "";
  },
  levels(container, field) {
    const rows = [...container.querySelectorAll(`[data-levels="${CSS.escape(field.key)}"] tbody tr`)];
    const chosen = rows
      .map((row) => ({ select: row.querySelector("select"), row }))
      .filter(({ select }) => select.value)
      .map(({ select, row }) => ({ category: select.dataset.category, level: select.value, sub_items: [...row.querySelectorAll("input[data-sub]:checked")].map((box) => box.dataset.sub) }));
    return chosen.length ? chosen : "";
  },
};
