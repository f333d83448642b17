/* Beijing time (UTC+8, no daylight saving since 1991): every date and time the portal shows, and
 * "today", whatever time zone the visitor's browser is in — a work submitted at 00:30 on 12-07 in
 * Beijing is dated 12-07 in New York too. The gateway's pages use the same rule
 * (services/kernel/clock.py beijing_text). */

const OFFSET_MS = 8 * 60 * 60 * 1000;
const two = (n) => String(n).padStart(2, "0");

/* The wall clock in Beijing of an instant, read with the UTC getters. */
function beijing(at) {
  const shifted = new Date(at.getTime() + OFFSET_MS);
  return {
    date: `${shifted.getUTCFullYear()}-${two(shifted.getUTCMonth() + 1)}-${two(shifted.getUTCDate())}`,
    time: `${two(shifted.getUTCHours())}:${two(shifted.getUTCMinutes())}`,
  };
}

/* 2026-12-06T16:30:00Z → 2026-12-07 00:30; a date stays a date; nothing is —. */
export function timeText(iso) {
  if (!iso) return "—";
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const { date, time } = beijing(at);
  return `${date} ${time}`;
}

/* Today in Beijing as YYYY-MM-DD. */
export function today() {
  return beijing(new Date()).date;
}
