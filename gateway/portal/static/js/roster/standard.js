/* The standard in force (测绘资质分类分级标准): its 专业类别, 等级 and 设备类型, read once per page
 * from the standards service (GET /standards lists the versions, GET /standards/{version} one). */

import { requestJson, today } from "./dom.js";

let loading = null;

/* The StandardDetail of the latest version already in effect today. */
export function standardInForce(url) {
  loading ??= load(url).catch((refusal) => {
    loading = null; // a later attempt may succeed
    throw refusal;
  });
  return loading;
}

async function load(url) {
  const { versions } = await requestJson(url);
  const day = today();
  const inForce = versions
    .filter((version) => version.effective_from <= day)
    .sort((a, b) => a.effective_from.localeCompare(b.effective_from))
    .pop();
  if (!inForce) throw { code: "no_standard", message: "暂无现行的资质标准，请稍后再试", details: null };
  return requestJson(`${url}/${encodeURIComponent(inForce.version)}`);
}
