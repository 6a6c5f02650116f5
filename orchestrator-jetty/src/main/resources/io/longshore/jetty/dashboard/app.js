// The Longshore dashboard: reads the admin API's /stream (server-sent events, through fetch so
// that the bearer token can go in a header), renders one card per service, and posts the
// operator's actions (/scale, /replicas/{id}/drain, /replicas/{id}/replace). The token lives in
// this tab's sessionStorage only.
"use strict";

(function () {
  const TOKEN_KEY = "longshore.adminToken";
  const RETRY_MS = 1000;
  const STALE_MS = 5000;
  const LEAVING = new Set(["DRAINING", "STOPPED"]);

  const state = { controller: null, retryTimer: null, lastFrame: 0, cards: new Map() };
  const $ = id => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("data-")) node.setAttribute(key, value);
      else node[key] = value;
    }
    node.append(...children);
    return node;
  }

  const token = () => sessionStorage.getItem(TOKEN_KEY);
  const authHeaders = () => (token() ? { Authorization: "Bearer " + token() } : {});
  const clock = ms => new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
  const dash = "—";
  const rate = v => (v === null || v === undefined ? dash : v.toFixed(1));
  const millis = v => (v === null || v === undefined ? dash : (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)) + " ms");

  function setConnection(kind, text) {
    const badge = $("connection");
    badge.dataset.state = kind;
    badge.textContent = text;
  }

  // ---- signing in ----

  function showLogin(message) {
    $("login").hidden = false;
    $("services").hidden = true;
    $("sign-out").hidden = true;
    const error = $("login-error");
    error.hidden = !message;
    error.textContent = message || "";
    setConnection("signed-out", "signed out");
    $("token").focus();
  }

  function hideLogin() {
    $("login").hidden = true;
    $("services").hidden = false;
    $("sign-out").hidden = token() === null;
  }

  $("login-form").addEventListener("submit", event => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
    $("token").value = "";
    connect();
  });

  $("sign-out").addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN_KEY);
    if (state.controller) state.controller.abort();
    showLogin("");
  });

  // ---- the stream ----

  function retry(reason) {
    setConnection("offline", reason + "; reconnecting…");
    clearTimeout(state.retryTimer);
    state.retryTimer = setTimeout(connect, RETRY_MS);
  }

  async function connect() {
    clearTimeout(state.retryTimer);
    if (state.controller) state.controller.abort();
    const controller = new AbortController();
    state.controller = controller;
    setConnection("connecting", "connecting…");
    let response;
    try {
      response = await fetch("/stream", { headers: authHeaders(), signal: controller.signal, cache: "no-store" });
    } catch (e) {
      if (!controller.signal.aborted) retry("admin API unreachable");
      return;
    }
    if (response.status === 401) {
      const hadToken = token() !== null;
      sessionStorage.removeItem(TOKEN_KEY);
      showLogin(hadToken ? "That token was not accepted." : "");
      return;
    }
    if (!response.ok || !response.body) {
      retry("the stream answered " + response.status);
      return;
    }
    hideLogin();
    state.lastFrame = Date.now();
    await read(response.body, controller);
    if (!controller.signal.aborted) retry("stream ended");
  }

  async function read(body, controller) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end;
        while ((end = /\r?\n\r?\n/.exec(buffer)) !== null) {
          dispatch(buffer.slice(0, end.index));
          buffer = buffer.slice(end.index + end[0].length);
        }
      }
    } catch (e) {
      if (!controller.signal.aborted) console.warn("stream broke", e);
    }
  }

  function dispatch(block) {
    let type = "message";
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith("event:")) type = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    }
    if (type === "snapshot" && data.length > 0) {
      render(JSON.parse(data.join("\n")));
    }
  }

  setInterval(() => {
    const live = $("connection").dataset.state === "live";
    if (live && Date.now() - state.lastFrame > STALE_MS) {
      retry("no update for " + STALE_MS / 1000 + " s");
    }
  }, 1000);

  // ---- rendering ----

  function render(snapshot) {
    state.lastFrame = Date.now();
    const now = Date.parse(snapshot.time);
    setConnection("live", "live · " + clock(now));
    for (const frame of snapshot.services) {
      const card = cardFor(frame);
      if (frame.error) {
        say(card, "cannot read this service: " + frame.error, true);
        continue;
      }
      update(card, frame, now);
    }
  }

  function cardFor(frame) {
    let card = state.cards.get(frame.service);
    if (card) return card;
    const input = el("input", { type: "number", min: 0, step: 1, name: "replicas", required: true, "data-role": "replicas" });
    input.setAttribute("aria-label", "replicas for " + frame.service);
    const scaleButton = el("button", { type: "submit", text: "Scale", "data-role": "scale" });
    const form = el("form", { class: "scale-form" }, el("label", { text: "Replicas " }, input), scaleButton);
    const counts = el("div", { class: "counts" });
    const message = el("p", { class: "message", "data-role": "message" });
    message.setAttribute("role", "status");
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("class", "chart");
    svg.setAttribute("role", "img");
    const legend = el("div", { class: "legend" }, el("span", { class: "l-desired", text: "desired" }),
      el("span", { class: "l-ready", text: "ready" }), el("span", { class: "l-mark", text: "scaling decision" }));
    const scalings = el("ul", { class: "scalings", "data-role": "scalings" });
    const head = el("tr", {}, ...["Replica", "State", "Port", "Container", "Req/s", "In flight", "p50", "p99", "Restarts", ""]
      .map((name, i) => el("th", { class: i >= 4 && i <= 8 ? "num" : "", text: name })));
    const rows = el("tbody", { "data-role": "replicas" });
    const events = el("ol", { class: "events", "data-role": "events" });
    const section = el("section", { class: "card service", "data-service": frame.service },
      el("div", { class: "service-head" },
        el("h2", {}, frame.service, el("span", { class: "prefix", text: frame.prefix })), counts, form),
      message,
      el("div", { class: "chart-box" }, svg, legend, scalings),
      el("h3", { text: "Replicas" }),
      el("table", { class: "replicas" }, el("thead", {}, head), rows),
      el("h3", { text: "Latest events" }),
      events);
    $("services").append(section);
    card = { name: frame.service, section, counts, input, scaleButton, message, svg, scalings, rows, events,
      rowsById: new Map(), fixed: false, primed: false };
    form.addEventListener("submit", event => {
      event.preventDefault();
      scale(card);
    });
    state.cards.set(frame.service, card);
    return card;
  }

  function update(card, frame, now) {
    const s = frame.status;
    card.fixed = frame.fixedBackends;
    card.section.dataset.desired = s.desired;
    card.section.dataset.ready = s.ready;
    card.counts.replaceChildren(
      count("desired", s.desired), count("ready", s.ready), count("min", s.min), count("max", s.max),
      el("span", { text: "strategy " + s.strategy }), el("span", { text: "autoscaler " + s.policy }));
    if (!card.primed) {
      card.input.value = s.desired;
      card.primed = true;
    }
    card.input.disabled = card.scaleButton.disabled = card.fixed;
    window.LongshoreChart.draw(card.svg, frame.history, now);
    card.scalings.replaceChildren(...frame.history.scalings.slice().reverse().slice(0, 6).map(m =>
      el("li", {}, clock(Date.parse(m.at)) + "  " + m.from + " → ", el("span", { class: "to", text: String(m.to) }),
        "  " + m.reason)));
    updateRows(card, frame.replicas);
    card.events.replaceChildren(...(frame.events.length ? frame.events.map(eventItem)
      : [el("li", { class: "empty-row", text: "no events yet" })]));
  }

  function count(name, value) {
    return el("span", { "data-count": name }, name + " ", el("b", { text: String(value) }));
  }

  function updateRows(card, replicas) {
    const seen = new Set();
    replicas.forEach((r, index) => {
      seen.add(r.id);
      let row = card.rowsById.get(r.id);
      if (!row) {
        row = newRow(card, r.id);
        card.rowsById.set(r.id, row);
      }
      fillRow(card, row, r);
      if (card.rows.children[index] !== row.tr) card.rows.insertBefore(row.tr, card.rows.children[index] || null);
    });
    for (const [id, row] of card.rowsById) {
      if (!seen.has(id)) {
        row.tr.remove();
        card.rowsById.delete(id);
      }
    }
  }

  function newRow(card, id) {
    const cells = {};
    for (const name of ["id", "state", "port", "container", "rate", "inFlight", "p50", "p99", "restarts"]) {
      const numeric = ["rate", "inFlight", "p50", "p99", "restarts"].includes(name);
      cells[name] = el("td", { class: (numeric ? "num" : "") + (name === "id" || name === "container" ? " mono" : ""), "data-cell": name });
    }
    const drain = el("button", { type: "button", class: "secondary", text: "Drain", "data-action": "drain" });
    const replace = el("button", { type: "button", class: "danger", text: "Replace", "data-action": "replace" });
    drain.addEventListener("click", () => act(card, id, "drain"));
    replace.addEventListener("click", () => act(card, id, "replace"));
    const tr = el("tr", { "data-replica-id": id }, ...Object.values(cells), el("td", { class: "actions" }, drain, replace));
    return { tr, cells, drain, replace };
  }

  function fillRow(card, row, r) {
    const c = row.cells;
    row.tr.dataset.state = r.state;
    row.tr.dataset.port = r.port;
    row.tr.dataset.healthy = r.healthy;
    row.tr.dataset.containerId = r.containerId;
    row.tr.classList.toggle("unhealthy", r.state !== "READY" || !r.healthy);
    c.id.textContent = r.id;
    c.state.replaceChildren(el("span", { class: "state state-" + r.state, text: r.state }),
      el("span", { class: "health " + (r.healthy ? "yes" : "no"), text: r.healthy ? "✓ healthy" : "✗ unhealthy" }));
    c.port.textContent = r.port;
    c.port.title = r.endpoint ? "serves on " + r.endpoint : "endpoint not known yet";
    row.tr.dataset.endpoint = r.endpoint || "";
    c.container.textContent = r.containerId ? r.containerId.slice(0, 12) : dash;
    c.container.title = r.containerId || "no container yet";
    c.rate.textContent = rate(r.requestsPerSecond);
    c.inFlight.textContent = r.inFlight;
    c.p50.textContent = millis(r.p50Ms);
    c.p99.textContent = millis(r.p99Ms);
    c.restarts.textContent = r.restarts;
    const disabled = card.fixed || LEAVING.has(r.state);
    row.drain.disabled = row.replace.disabled = disabled;
  }

  function eventItem(e) {
    const fields = Object.entries(e)
      .filter(([key, value]) => !["time", "type", "service"].includes(key) && value !== null && value !== "")
      .map(([key, value]) => key + "=" + value).join("  ");
    return el("li", { "data-type": e.type }, el("time", { text: clock(Date.parse(e.time)) }),
      el("span", { class: "type", text: e.type }), el("span", { class: "fields", text: fields }));
  }

  function say(card, text, isError) {
    card.message.textContent = text;
    card.message.classList.toggle("error", !!isError);
  }

  // ---- actions ----

  async function post(path, body) {
    const response = await fetch(path, {
      method: "POST",
      headers: Object.assign({ "Content-Type": "application/json" }, authHeaders()),
      body: body === undefined ? "" : JSON.stringify(body),
    });
    if (response.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      showLogin("Sign in again: the admin API refused the token.");
    }
    let json = {};
    try {
      json = await response.json();
    } catch (e) {
      // not JSON: the status says enough
    }
    return { status: response.status, json };
  }

  async function scale(card) {
    const replicas = Number(card.input.value);
    if (!Number.isInteger(replicas) || replicas < 0) {
      say(card, "Replicas must be a whole number, 0 or more.", true);
      return;
    }
    try {
      const { status, json } = await post("/scale?service=" + encodeURIComponent(card.name), { replicas });
      if (status === 200) say(card, "Scaling to " + json.desired + " replicas" + (json.desired !== replicas ? " (clamped to min/max)" : "") + ".");
      else say(card, "Scale refused (" + status + "): " + (json.error || "no reason given"), true);
    } catch (e) {
      say(card, "Scale failed: " + e.message, true);
    }
  }

  async function act(card, id, action) {
    try {
      const path = "/replicas/" + encodeURIComponent(id) + "/" + action + "?service=" + encodeURIComponent(card.name);
      const { status, json } = await post(path);
      if (status === 202) say(card, (action === "drain" ? "Draining " : "Replacing ") + id + ": a new replica takes its port.");
      else say(card, action + " of " + id + " refused (" + status + "): " + (json.error || "no reason given"), true);
    } catch (e) {
      say(card, action + " failed: " + e.message, true);
    }
  }

  connect();
})();
