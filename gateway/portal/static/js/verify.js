/* 证书查验 (templates/verify.html), for anyone: a number's public view from
 * GET /api/registry/public/certificates/{number}, and the check of an uploaded 电子证书 by
 * POST /api/registry/public/verifications (multipart ``file``): whether its signature is valid and
 * whether it is the register's current version, concluded by the registry (``outcome``, ``headline``):
 * a cancelled, replaced, expired or older copy is refused in the headline; the register's view of the
 * number is shown only for a valid signature. /verify?number=… (the QR code) queries on load. */

import { NOT_FOUND, details, isNotFound, publicDetails } from "./certificate-view.js";
import { csrfToken, element, refusalOf, requestJson } from "./roster/dom.js";

const ACCEPTED = "有效";
const TEXT = {
  numberMissing: "请输入证书编号",
  fileMissing: "请选择电子证书PDF文件",
  notPdf: "请上传PDF格式的电子证书",
  tooLarge: (bytes) => `电子证书文件不能超过${+(bytes / 1048576).toFixed(2)}MB`,
  querying: "正在查询…",
  checking: "正在核验…",
  found: "查询结果",
  network: "网络连接中断，请检查网络后重试",
  signature: "电子签名",
  intact: "文件完整",
  register: "与登记信息",
  reason: "说明",
  valid: "有效",
  notValid: "无效",
  yes: "是",
  no: "否",
  same: "一致（现行版本）",
  differs: "不一致",
  rootCertificate: "平台根证书",
  signingCertificate: "电子证书签章证书",
  trustMissing: "电子签章证书暂不可用，请稍后再试",
};

/* Write ``message`` under ``input`` (or clear it), marking the field invalid meanwhile. */
function fieldError(input, message) {
  document.getElementById(`${input.id}-error`).textContent = message;
  if (message) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

function notice(text, kind) {
  return element("p", { className: `verify-verdict is-${kind}`, text });
}

async function lookUp(api, input, result) {
  const number = input.value.trim();
  fieldError(input, "");
  if (!number) {
    fieldError(input, TEXT.numberMissing);
    input.focus();
    return;
  }
  history.replaceState(null, "", `/verify?number=${encodeURIComponent(number)}`);
  result.replaceChildren(notice(TEXT.querying, "pending"));
  try {
    const certificate = await requestJson(`${api}/public/certificates/${encodeURIComponent(number)}`);
    result.replaceChildren(element("h3", { className: "verify-result-title", text: TEXT.found }), publicDetails(certificate));
  } catch (refusal) {
    result.replaceChildren(notice(isNotFound(refusal) ? NOT_FOUND : refusal.message, "none"));
  }
}

/* The registry's conclusion (signature and register together): green only when it accepts the file. */
function verdictOf(verification) {
  return notice(verification.headline, verification.outcome === ACCEPTED ? "pass" : "fail");
}

function verificationView(verification) {
  const facts = element("dl", { className: "certificate-details verify-facts" }, [
    element("dt", { text: TEXT.signature }),
    element("dd", { text: verification.signature_valid ? TEXT.valid : TEXT.notValid }),
    element("dt", { text: TEXT.intact }),
    element("dd", { text: verification.intact ? TEXT.yes : TEXT.no }),
    element("dt", { text: TEXT.register }),
    element("dd", { text: verification.matches_register ? TEXT.same : TEXT.differs }),
    element("dt", { text: TEXT.reason }),
    element("dd", { text: verification.reason }),
  ]);
  const parts = [verdictOf(verification), facts];
  if (verification.certificate) {
    parts.push(element("h3", { className: "verify-result-title", text: "登记信息" }), publicDetails(verification.certificate));
  }
  return parts;
}

/* 电子签章证书: each certificate of the chain with its SHA-256 fingerprint and its download. */
function trustView(api, trust) {
  const entry = (certificate, label) =>
    element("div", { className: "trust-certificate" }, [
      element("h3", { className: "verify-result-title", text: label }),
      details([
        ["证书名称", certificate.subject],
        ["签发者", certificate.issuer],
        ["有效期", `${certificate.not_before} 至 ${certificate.not_after}`],
        ["SHA-256指纹", element("code", { className: "fingerprint", text: certificate.sha256 })],
      ]),
      element("a", { className: "button", text: `下载${label}`, attributes: { href: `${api}${certificate.download}`, download: "" } }),
    ]);
  return [entry(trust.root, TEXT.rootCertificate), entry(trust.signing, TEXT.signingCertificate)];
}

async function showTrust(api, target) {
  try {
    target.replaceChildren(...trustView(api, await requestJson(`${api}/public/trust`)));
  } catch (refusal) {
    target.replaceChildren(notice(refusal.message || TEXT.trustMissing, "none"));
  }
}

async function postPdf(url, file) {
  const body = new FormData();
  body.append("file", file, file.name);
  let response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { Accept: "application/json", "X-CSRF-Token": csrfToken() },
      credentials: "same-origin",
      body,
    });
  } catch {
    throw { code: "network", message: TEXT.network, details: null };
  }
  const text = await response.text();
  if (!response.ok) throw refusalOf(response.status, text);
  return JSON.parse(text);
}

function fileProblem(file, maxBytes) {
  if (!file) return TEXT.fileMissing;
  if (!/\.pdf$/i.test(file.name) && file.type !== "application/pdf") return TEXT.notPdf;
  if (file.size > maxBytes) return TEXT.tooLarge(maxBytes);
  return "";
}

async function check(api, input, result) {
  const file = input.files[0];
  const problem = fileProblem(file, Number(input.dataset.maxBytes));
  fieldError(input, problem);
  if (problem) {
    input.focus();
    return;
  }
  result.replaceChildren(notice(TEXT.checking, "pending"));
  try {
    result.replaceChildren(...verificationView(await postPdf(`${api}/public/verifications`, file)));
  } catch (refusal) {
    result.replaceChildren();
    fieldError(input, refusal.message);
    input.focus();
  }
}

function start(root) {
  const api = root.dataset.api;
  const number = root.querySelector("#verify-number");
  const lookupResult = root.querySelector(".lookup-result");
  root.querySelector(".lookup-form").addEventListener("submit", (event) => {
    event.preventDefault();
    lookUp(api, number, lookupResult);
  });
  const file = root.querySelector("#verify-file");
  root.querySelector(".check-form").addEventListener("submit", (event) => {
    event.preventDefault();
    check(api, file, root.querySelector(".check-result"));
  });
  if (number.value.trim()) lookUp(api, number, lookupResult);
  showTrust(api, root.querySelector(".trust-certificates"));
}

const root = document.querySelector("[data-verify]");
if (root) start(root);
