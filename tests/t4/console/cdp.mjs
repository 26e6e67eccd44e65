// A minimal DevTools-protocol client for the console test: talks to the page of a headless
// Chromium started with --remote-debugging-port, over the WebSocket client built into node.
//   node --experimental-websocket cdp.mjs eval PORT 'js expression'   -> prints the value (JSON)
//   node --experimental-websocket cdp.mjs shot PORT file.png          -> saves a screenshot
// Each call attaches to the already open page and detaches: the page itself is never reloaded.
import { writeFileSync } from 'node:fs';

const [cmd, port, arg] = process.argv.slice(2);
const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
const page = targets.find((t) => t.type === 'page');
if (!page) { console.error('no page target'); process.exit(2); }
const ws = new WebSocket(page.webSocketDebuggerUrl);
const pending = new Map();
let next = 0;
ws.onmessage = (m) => {
  const msg = JSON.parse(m.data);
  if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg); pending.delete(msg.id); }
};
const send = (method, params = {}) => new Promise((resolve) => {
  const id = ++next;
  pending.set(id, resolve);
  ws.send(JSON.stringify({ id, method, params }));
});
await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
const timer = setTimeout(() => { console.error('devtools call timed out'); process.exit(3); }, 15000);
if (cmd === 'eval') {
  const r = await send('Runtime.evaluate', { expression: arg, returnByValue: true, awaitPromise: true });
  if (r.error || r.result.exceptionDetails) { console.error(JSON.stringify(r.error || r.result.exceptionDetails)); process.exit(1); }
  console.log(JSON.stringify(r.result.result.value));
} else if (cmd === 'shot') {
  const r = await send('Page.captureScreenshot', { format: 'png' });
  writeFileSync(arg, Buffer.from(r.result.data, 'base64'));
} else {
  console.error('usage: cdp.mjs eval|shot PORT ARG');
  process.exit(2);
}
clearTimeout(timer);
ws.close();
process.exit(0);
