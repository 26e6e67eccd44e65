// Shoal's live console: renders the manager's ClusterView, pushed by server-sent events at every
// store change (no polling). Read-only. No dependencies: these machines have no internet.
'use strict';

const $ = (sel) => document.querySelector(sel);
let view = null;     // the latest ClusterView
let openSlot = null; // the slot whose history the side panel shows

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null) continue;
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

const short = (id) => (id || '').slice(0, 12);
const CURRENT = new Set(['new', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running']);
const ENDED_SHOWN = new Set(['failed', 'rejected', 'orphaned', 'complete']);
const slotKey = (t) => t.ServiceID + '/' + (t.Slot > 0 ? t.Slot : t.NodeID);
const taskName = (t) => t.Service + '.' + (t.Slot > 0 ? t.Slot : short(t.NodeID));

function ago(ts) {
  if (!ts || !view) return '';
  const s = Math.max(0, Math.round((Date.parse(view.At) - Date.parse(ts)) / 1000));
  if (s < 60) return s + ' s ago';
  if (s < 3600) return Math.floor(s / 60) + ' min ago';
  if (s < 86400) return Math.floor(s / 3600) + ' h ago';
  return Math.floor(s / 86400) + ' d ago';
}

function bytes(n) {
  if (!n) return '';
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB']; let i = 0;
  while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return n.toFixed(i ? 1 : 0) + ' ' + u[i];
}

/** Per slot: the tasks meant to run now, and its latest failed (or completed) task, so a crash stays visible. */
function shownTasks(tasks) {
  const bySlot = new Map();
  for (const t of tasks) {
    if (!bySlot.has(slotKey(t))) bySlot.set(slotKey(t), []);
    bySlot.get(slotKey(t)).push(t);
  }
  const out = [];
  for (const list of bySlot.values()) {
    list.sort((a, b) => Date.parse(b.CreatedAt) - Date.parse(a.CreatedAt));
    const current = list.filter((t) => CURRENT.has(t.DesiredState) && !ENDED_SHOWN.has(t.State) && t.State !== 'shutdown');
    out.push(...current);
    const ended = list.find((t) => !current.includes(t) && ENDED_SHOWN.has(t.State));
    if (ended) out.push(ended);
  }
  return out;
}

function render() {
  const v = view;
  document.body.dataset.index = v.Index;
  $('#error').hidden = !v.Error;
  $('#error').textContent = v.Error || '';
  const ready = v.Nodes.filter((n) => n.State === 'ready').length;
  const managers = v.Nodes.filter((n) => n.Role === 'manager').length;
  const leader = v.Nodes.find((n) => n.Leader);
  $('#summary').textContent = v.Error ? '' : `${v.Nodes.length} nodes (${managers} manager${managers === 1 ? '' : 's'}, ${ready} ready) · ${v.Services.length} services · `
    + `${v.Tasks.filter((t) => t.State === 'running' && t.DesiredState === 'running').length} tasks running`
    + (leader ? ` · leader ${leader.Hostname}` : '') + ` · raft index ${v.Index}`;

  const tbody = $('#services tbody');
  tbody.replaceChildren(...v.Services.map((s) => el('tr', {'data-service': s.Name},
    el('td', {}, s.Name), el('td', {}, s.Mode),
    el('td', {class: 'replicas' + (s.Running < s.Desired ? ' short' : '')}, `${s.Running}/${s.Desired}`),
    el('td', {}, s.Image || ''), el('td', {title: s.UpdateMessage || ''}, s.UpdateState || ''),
    el('td', {}, (s.Ports || []).join(', ')))));
  if (!v.Services.length) tbody.replaceChildren(el('tr', {}, el('td', {colspan: 6, class: 'empty'}, 'no services')));

  const shown = shownTasks(v.Tasks);
  const columns = v.Nodes.map((n) => ({node: n, tasks: shown.filter((t) => t.NodeID === n.Id)}));
  const unassigned = shown.filter((t) => !t.NodeID || !v.Nodes.some((n) => n.Id === t.NodeID));
  if (unassigned.length) columns.push({node: null, tasks: unassigned});
  $('#grid').replaceChildren(...columns.map(({node, tasks}) => column(node, tasks)));

  if (openSlot) showHistory(openSlot);
}

function column(n, tasks) {
  const head = n
    ? el('div', {class: 'node-head'},
        el('div', {class: 'node-name'}, n.Hostname || short(n.Id)),
        el('div', {}, el('span', {class: 'badge'}, n.Role), n.Leader ? el('span', {class: 'badge leader'}, 'leader') : null,
          el('span', {class: 'badge'}, n.Availability), el('span', {class: 'badge'}, n.State)),
        el('div', {class: 'node-meta'}, [n.Cpus ? n.Cpus + ' CPU' : '', bytes(n.MemoryBytes), n.Addr || ''].filter(Boolean).join(' · ')),
        n.Message ? el('div', {class: 'node-meta'}, n.Message) : null)
    : el('div', {class: 'node-head'}, el('div', {class: 'node-name'}, 'unassigned'), el('div', {class: 'node-meta'}, 'waiting for a node'));
  tasks.sort((a, b) => a.Service.localeCompare(b.Service) || a.Slot - b.Slot || Date.parse(a.CreatedAt) - Date.parse(b.CreatedAt));
  return el('div', {class: 'node ' + (n ? n.State : 'pending'), 'data-node': n ? n.Hostname : ''}, head,
    ...tasks.map((t) => el('div', {class: 'task ' + t.State, 'data-task': t.Id, 'data-service': t.Service, 'data-state': t.State,
        title: t.Err || t.Message || '', onclick: () => showHistory(slotKey(t))},
      el('div', {class: 'name'}, taskName(t)),
      el('div', {class: 'state'}, `${t.State} ${ago(t.Timestamp)}`))));
}

function showHistory(key) {
  openSlot = key;
  const list = view.Tasks.filter((t) => slotKey(t) === key)
    .sort((a, b) => Date.parse(b.CreatedAt) - Date.parse(a.CreatedAt));
  if (!list.length) { $('#detail').hidden = true; openSlot = null; return; }
  const host = (id) => (view.Nodes.find((n) => n.Id === id) || {}).Hostname || short(id) || '—';
  const first = list[0];
  const rows = list.map((t) => el('tr', {class: 'task-row ' + t.State},
    el('td', {title: t.Id}, short(t.Id)), el('td', {}, t.State), el('td', {}, t.DesiredState || ''), el('td', {}, host(t.NodeID)),
    el('td', {title: t.Timestamp || ''}, ago(t.Timestamp)),
    el('td', {}, t.Message || '', t.Err ? el('div', {class: 'err'}, t.Err) : null,
      t.ExitCode !== undefined && t.ExitCode !== null ? el('div', {}, 'exit code ' + t.ExitCode) : null,
      t.ContainerID ? el('div', {class: 'node-meta'}, 'container ' + short(t.ContainerID)) : null)));
  const head = el('tr', {}, ...['Task', 'State', 'Desired', 'Node', 'When', 'Message'].map((h) => el('th', {}, h)));
  $('#detail-body').replaceChildren(
    el('h3', {}, taskName(first)),
    el('p', {}, first.Image || ''),
    el('table', {id: 'history'}, el('thead', {}, head), el('tbody', {}, ...rows)));
  $('#detail').hidden = false;
}

function legend() {
  const states = ['running', 'starting', 'pending', 'failed', 'complete', 'shutdown'];
  $('#legend').replaceChildren(...states.map((name) => el('span', {}, el('i', {class: 'sw ' + name}), name)));
}

function connect() {
  const es = new EventSource('api/events');
  es.onopen = () => { $('#live').textContent = 'live'; $('#live').className = 'live on'; };
  es.onerror = () => { $('#live').textContent = 'offline, reconnecting'; $('#live').className = 'live off'; };
  es.addEventListener('state', (e) => { view = JSON.parse(e.data); render(); });
}

$('#close').addEventListener('click', () => { openSlot = null; $('#detail').hidden = true; });
legend();
connect();
