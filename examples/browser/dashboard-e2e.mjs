// End-to-end check of the Longshore dashboard in a real browser: Debian's Chromium, headless,
// driven by playwright-core (which never downloads a browser). Run by DashboardBrowserTest
// against a running seed scenario on the process runtime; usable by hand as well:
//
//   ADMIN_URL=http://127.0.0.1:8081 GATEWAY_URL=http://127.0.0.1:8080 \
//   SCREENSHOT=/tmp/dashboard.png [ADMIN_TOKEN=…] node dashboard-e2e.mjs
//
// Steps: open the dashboard (signing in when ADMIN_TOKEN is set), wait for a ready replica,
// send traffic through the gateway, kill the replica's process and watch its row turn
// unhealthy and come back with a new container, press "Scale" with 3 and see three ready
// replicas with the decision marked on the chart, drain one from its button, replace another
// from its button, take a screenshot.
// Fails when the page asks anything of a host other than the admin connector or logs an error.
// Prints one line per step; exits 0 when every step passed.

import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ADMIN_URL = required("ADMIN_URL");
const GATEWAY_URL = required("GATEWAY_URL");
const SCREENSHOT = required("SCREENSHOT");
const TOKEN = process.env.ADMIN_TOKEN || "";
const SERVICE = process.env.SERVICE || "acts";
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const WAIT_MS = Number(process.env.WAIT_MS || 90000);

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`set ${name}`);
    process.exit(2);
  }
  return value;
}

const started = Date.now();
function step(text) {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${text}`);
}

const card = `[data-service="${SERVICE}"]`;
const userDataDir = mkdtempSync(join(tmpdir(), "longshore-chromium-"));
let context;

try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
    viewport: { width: 1360, height: 1100 },
  });
  const adminOrigin = new URL(ADMIN_URL).origin;
  const foreign = [];
  const problems = [];
  context.on("request", request => {
    const url = request.url();
    if (!url.startsWith(adminOrigin + "/") && !url.startsWith("data:") && !url.startsWith("about:")) {
      foreign.push(url);
    }
  });
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  page.on("pageerror", error => problems.push("page error: " + error.message));
  page.on("console", message => {
    if (message.type() === "error") problems.push("console error: " + message.text());
  });

  await page.goto(ADMIN_URL + "/");
  step("dashboard opened");
  if (TOKEN) {
    await page.locator("#login").waitFor({ state: "visible" });
    await page.fill("#token", "not-the-token");
    await page.click("#login-form button[type=submit]");
    await page.locator("#login-error", { hasText: "not accepted" }).waitFor();
    step("a wrong token is refused on the sign-in form");
    problems.length = 0; // the refused stream request logs a 401; that is the point of this step
    await page.fill("#token", TOKEN);
    await page.click("#login-form button[type=submit]");
    await page.locator("#login").waitFor({ state: "hidden" });
    step("signed in with the bearer token");
  }
  await page.locator(`${card} tr[data-state="READY"][data-healthy="true"]`).first().waitFor();
  await page.locator("#connection[data-state=live]").waitFor();
  step("a ready replica is listed and the stream is live");

  for (let i = 0; i < 60; i++) {
    const response = await fetch(GATEWAY_URL + "/api/v1/categories");
    await response.arrayBuffer();
    if (!response.ok) throw new Error("the gateway answered " + response.status);
  }
  await page.waitForFunction(selector => {
    const cell = document.querySelector(selector + " tr[data-state=READY] td[data-cell=p50]");
    return cell && cell.textContent.endsWith("ms");
  }, card);
  step("traffic through the gateway shows as requests/s and p50/p99");

  const victim = page.locator(`${card} tr[data-state="READY"]`).first();
  const port = await victim.getAttribute("data-port");
  const container = await victim.getAttribute("data-container-id");
  const pid = Number(container.replace(/^pid-/, ""));
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`container ${container} is not a local process`);
  process.kill(pid, "SIGKILL");
  step(`killed the replica on port ${port} (process ${pid})`);
  const row = `${card} tr[data-port="${port}"]`;
  const seen = await page.waitForFunction(([selector, old]) => {
    const tr = document.querySelector(selector);
    if (!tr) return "gone";
    const unhealthy = tr.dataset.state !== "READY" || tr.dataset.healthy !== "true";
    return unhealthy ? tr.dataset.state + (tr.dataset.containerId === old ? "" : " (new container)") : false;
  }, [row, container], { polling: 50 });
  step(`its row turned unhealthy: ${await seen.jsonValue()}`);
  // Whichever notices first names the dead container: the runtime's exit watch (ReplicaExited)
  // or a failed probe, after which the orchestrator stops it (ReplicaStopped).
  await page.locator(`${card} li:is([data-type=ReplicaExited], [data-type=ReplicaStopped])`,
    { hasText: "pid-" + pid }).first().waitFor();
  step("the latest events show the exit");
  await page.waitForFunction(([selector, old]) => {
    const tr = document.querySelector(selector);
    return tr && tr.dataset.state === "READY" && tr.dataset.healthy === "true" && tr.dataset.containerId !== old;
  }, [row, container]);
  const replacement = await page.locator(row).getAttribute("data-container-id");
  step(`it came back ready on port ${port} as ${replacement}`);

  await page.fill(`${card} input[data-role=replicas]`, "3");
  await page.click(`${card} button[data-role=scale]`);
  await page.locator(`${card} [data-role=message]`, { hasText: "Scaling to 3" }).waitFor();
  await page.waitForFunction(selector =>
    document.querySelectorAll(selector + ' tr[data-state="READY"][data-healthy="true"]').length === 3, card);
  step("pressed Scale with 3: three ready replicas");
  await page.locator(`${card} svg.chart g.mark`, { hasText: "by request" }).first().waitFor();
  step("the chart marks the scaling decision with its reason");

  const drained = page.locator(`${card} tr[data-state="READY"]`).last();
  const drainedId = await drained.getAttribute("data-replica-id");
  const drainedPort = await drained.getAttribute("data-port");
  await drained.locator("button[data-action=drain]").click();
  await page.locator(`${card} [data-role=message]`, { hasText: "Draining " + drainedId }).waitFor();
  await page.waitForFunction(([selector, id]) => {
    const tr = document.querySelector(selector);
    return tr && tr.dataset.replicaId !== id && tr.dataset.state === "READY";
  }, [`${card} tr[data-port="${drainedPort}"]`, drainedId]);
  await page.waitForFunction(selector =>
    document.querySelectorAll(selector + ' tr[data-state="READY"][data-healthy="true"]').length === 3, card);
  step(`drained ${drainedId} from its button: a new replica took port ${drainedPort}`);

  const replaced = page.locator(`${card} tr[data-state="READY"]`).first();
  const replacedId = await replaced.getAttribute("data-replica-id");
  const replacedPort = await replaced.getAttribute("data-port");
  const replacedContainer = await replaced.getAttribute("data-container-id");
  await replaced.locator("button[data-action=replace]").click();
  await page.locator(`${card} [data-role=message]`, { hasText: "Replacing " + replacedId }).waitFor();
  await page.waitForFunction(([selector, id, old]) => {
    const tr = document.querySelector(selector);
    return tr && tr.dataset.replicaId !== id && tr.dataset.containerId !== old && tr.dataset.state === "READY"
      && tr.dataset.healthy === "true";
  }, [`${card} tr[data-port="${replacedPort}"]`, replacedId, replacedContainer]);
  await page.waitForFunction(selector =>
    document.querySelectorAll(selector + ' tr[data-state="READY"][data-healthy="true"]').length === 3, card);
  step(`replaced ${replacedId} from its button: a new container took port ${replacedPort}`);

  for (let i = 0; i < 90; i++) {
    await (await fetch(GATEWAY_URL + "/api/v1/categories")).arrayBuffer();
  }
  await page.waitForTimeout(1200); // one more frame, so the picture shows the latest traffic
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  step("screenshot saved to " + SCREENSHOT);

  if (foreign.length > 0) throw new Error("the page reached beyond the admin connector: " + foreign.join(", "));
  if (problems.length > 0) throw new Error(problems.join("; "));
  step("no request left the admin connector; no error in the page");
  step("PASSED");
} catch (error) {
  console.error("FAILED: " + (error && error.stack ? error.stack : error));
  if (context) {
    try {
      const page = context.pages()[0];
      if (page) await page.screenshot({ path: SCREENSHOT.replace(/\.png$/, "") + "-failure.png", fullPage: true });
    } catch (ignored) {
      // the failure is what matters
    }
  }
  process.exitCode = 1;
} finally {
  if (context) await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
