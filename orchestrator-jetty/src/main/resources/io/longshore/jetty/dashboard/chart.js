// Draws a service's desired and ready replica counts over the last ten minutes as SVG, with a
// marker and its reason for each scaling decision. No library: a few paths and lines.
"use strict";

(function () {
  const NS = "http://www.w3.org/2000/svg";
  const SPAN_MS = 10 * 60 * 1000;
  const MIN_SPAN_MS = 2 * 60 * 1000;
  const W = 960, H = 240;
  const M = { left: 40, right: 14, top: 40, bottom: 26 };
  const PLOT_W = W - M.left - M.right, PLOT_H = H - M.top - M.bottom;
  const LABEL_CHARS = 34;

  function node(name, attrs, text) {
    const el = document.createElementNS(NS, name);
    for (const [key, value] of Object.entries(attrs || {})) {
      el.setAttribute(key, String(value));
    }
    if (text !== undefined) {
      el.textContent = text;
    }
    return el;
  }

  function clock(ms) {
    return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
  }

  function shorten(text, max) {
    return text.length <= max ? text : text.slice(0, max - 1) + "…";
  }

  /** The samples as [time, value] pairs inside the span. */
  function series(history, values, from) {
    const end = Date.parse(history.end);
    const n = values.length;
    const points = [];
    for (let i = 0; i < n; i++) {
      const t = end - (n - 1 - i) * history.stepMillis;
      if (t >= from) {
        points.push([t, values[i]]);
      }
    }
    return points;
  }

  function stepPath(points, x, y, until) {
    if (points.length === 0) {
      return "";
    }
    let d = "M" + x(points[0][0]).toFixed(1) + " " + y(points[0][1]).toFixed(1);
    for (let i = 1; i < points.length; i++) {
      d += " H" + x(points[i][0]).toFixed(1) + " V" + y(points[i][1]).toFixed(1);
    }
    return d + " H" + x(until).toFixed(1);
  }

  /** Ten minutes, or less while the history is young: whole minutes, at least two. */
  function spanOf(history, nowMs) {
    if (!history || !history.end) return MIN_SPAN_MS;
    const first = Date.parse(history.end) - (history.desired.length - 1) * history.stepMillis;
    const minutes = Math.ceil((nowMs - first + 1) / 60000);
    return Math.min(SPAN_MS, Math.max(MIN_SPAN_MS, minutes * 60000));
  }

  function draw(svg, history, nowMs) {
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    svg.replaceChildren();
    const span = spanOf(history, nowMs);
    const from = nowMs - span;
    const x = t => M.left + Math.max(0, Math.min(1, (t - from) / span)) * PLOT_W;
    const desired = history && history.end ? series(history, history.desired, from) : [];
    const ready = history && history.end ? series(history, history.ready, from) : [];
    const marks = (history ? history.scalings : []).filter(s => Date.parse(s.at) >= from);
    svg.setAttribute("aria-label", "desired and ready replicas over the last " + span / 60000 + " minutes");
    let top = 1;
    for (const [, v] of desired.concat(ready)) top = Math.max(top, v);
    for (const s of marks) top = Math.max(top, s.from, s.to);
    top += 1;
    const y = v => M.top + PLOT_H - (v / top) * PLOT_H;

    const step = Math.max(1, Math.ceil(top / 5));
    for (let v = 0; v <= top; v += step) {
      svg.append(node("line", { class: "grid", x1: M.left, x2: W - M.right, y1: y(v), y2: y(v) }));
      svg.append(node("text", { class: "axis", x: M.left - 8, y: y(v) + 4, "text-anchor": "end" }, String(v)));
    }
    const spanMinutes = span / 60000;
    const every = spanMinutes > 5 ? 2 : 1;
    for (let minutes = 0; minutes <= spanMinutes; minutes += every) {
      const t = nowMs - minutes * 60000;
      const anchor = minutes === spanMinutes ? "start" : minutes === 0 ? "end" : "middle";
      svg.append(node("text", { class: "axis", x: x(t), y: H - 6, "text-anchor": anchor },
        minutes === 0 ? "now" : "−" + minutes + " min"));
    }
    if (desired.length === 0) {
      svg.append(node("text", { class: "empty", x: W / 2, y: H / 2, "text-anchor": "middle" }, "no samples yet"));
      return;
    }
    const until = Math.min(nowMs, Date.parse(history.end) + history.stepMillis);
    svg.append(node("path", { class: "desired", d: stepPath(desired, x, y, until) }));
    svg.append(node("path", { class: "ready", d: stepPath(ready, x, y, until) }));

    marks.forEach((s, i) => {
      const at = Date.parse(s.at);
      const mx = x(at);
      const g = node("g", { class: "mark" });
      g.append(node("title", {}, clock(at) + "  " + s.from + " → " + s.to + ": " + s.reason));
      g.append(node("line", { x1: mx, x2: mx, y1: M.top - 4, y2: M.top + PLOT_H }));
      g.append(node("circle", { cx: mx, cy: y(s.to), r: 4 }));
      const anchor = mx > M.left + PLOT_W * 0.7 ? "end" : "start";
      const dx = anchor === "start" ? 4 : -4;
      g.append(node("text", { x: mx + dx, y: i % 2 === 0 ? 14 : 28, "text-anchor": anchor },
        s.from + "→" + s.to + " " + shorten(s.reason, LABEL_CHARS)));
      svg.append(g);
    });
  }

  window.LongshoreChart = { draw, SPAN_MS };
})();
