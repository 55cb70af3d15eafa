#include "models/classroom/pages.h"

namespace chainsim::models::classroom::pages {

const char* const kFront = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>chainsim classroom</title><link rel="stylesheet" href="/static/style.css"></head>
<body><main>
<h1>chainsim classroom</h1>
<p>Students: open the join link your teacher gives you. It takes you to your seat in your team.</p>
<p>Teachers: open the teacher link <code>chainsim serve</code> printed when it started.</p>
</main></body></html>
)";

const char* const kTeacher = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>chainsim classroom: teacher</title><link rel="stylesheet" href="/static/style.css"></head>
<body><main>
<h1>chainsim classroom</h1>
<section>
<h2>New session</h2>
<form id="create">
<label>Scenario <select id="scenario" name="scenario"></select></label>
<label>Teams <input id="teams" name="teams" type="number" min="1" max="64" value="2" required></label>
<button type="submit">Create</button>
</form>
<p id="error" class="error" role="alert"></p>
</section>
<section>
<h2>Sessions</h2>
<p class="muted">Give each student one join link; start the session when the seats are taken. Seats nobody
took follow the scenario's policy. The page updates itself.</p>
<div id="sessions"></div>
</section>
</main>
<script src="/static/teacher.js"></script>
</body></html>
)";

const char* const kPlayer = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>chainsim classroom: your stage</title><link rel="stylesheet" href="/static/style.css"></head>
<body><main>
<h1 id="title">Your stage</h1>
<p id="status" role="status"></p>
<section id="join" hidden>
<button id="take" type="button">Take this seat</button>
</section>
<section id="board" hidden>
<table class="board"><tbody>
<tr><th scope="row">Incoming shipment</th><td id="shipment_in"></td></tr>
<tr><th scope="row">Incoming order</th><td id="order_in"></td></tr>
<tr><th scope="row">On hand</th><td id="on_hand"></td></tr>
<tr><th scope="row">Backlog</th><td id="backlog"></td></tr>
<tr><th scope="row">On order</th><td id="on_order"></td></tr>
<tr><th scope="row">Cost so far</th><td id="cost_so_far"></td></tr>
<tr id="pos_row" hidden><th scope="row">Customer demand (shared)</th><td id="customer_demand"></td></tr>
</tbody></table>
<form id="order">
<label>Your order <input id="quantity" name="order" type="number" min="0" max="1000000" step="1" required></label>
<button id="send" type="submit">Order</button>
</form>
<p id="error" class="error" role="alert"></p>
</section>
<section id="end" hidden>
<h2>Game over</h2>
<table class="board"><tbody>
<tr><th scope="row">Your cost</th><td id="cost"></td></tr>
<tr><th scope="row">The policy's cost at your stage</th><td id="cost_benchmark"></td></tr>
<tr><th scope="row">Your amplification (variance of your orders / customer demand's)</th><td id="bullwhip"></td></tr>
</tbody></table>
<p class="muted">Your teacher shows the whole class's debrief.</p>
</section>
<section id="history" hidden>
<h2>Your orders</h2>
<p id="orders" class="orders"></p>
</section>
</main>
<script src="/static/player.js"></script>
</body></html>
)";

const char* const kStyle = R"(body { font: 16px/1.45 system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #fafafa; }
main { max-width: 56rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
label { margin-right: 1rem; }
input, select, button { font: inherit; padding: .25rem .5rem; }
button { cursor: pointer; }
.error { color: #a40000; min-height: 1.4em; }
.muted { color: #555; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .6rem; text-align: left; }
td.num, .board td { text-align: right; font-variant-numeric: tabular-nums; }
.board th { font-weight: normal; }
.session { border: 1px solid #ccc; border-radius: 6px; padding: .5rem 1rem; margin: 1rem 0; background: #fff; }
.seat-joined { color: #0b5d1e; }
.seat-empty { color: #777; }
.orders { font-variant-numeric: tabular-nums; word-spacing: .3em; }
code { background: #eee; padding: 0 .25rem; }
)";

const char* const kTeacherJs = R"JS('use strict';
const key = new URLSearchParams(location.search).get('key') || '';
const q = '?key=' + encodeURIComponent(key);
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}
function link(href, text) { const a = el('a', text); a.href = href; return a; }
async function post(path, body) {
  const r = await fetch(path + q, {method: 'POST', body: new URLSearchParams(body)});
  const t = await r.json().catch(() => ({error: 'the server answered ' + r.status}));
  if (!r.ok) throw new Error(t.error || ('the server answered ' + r.status));
  return t;
}
let scenariosShown = false;
function renderSession(s) {
  const box = el('div', null, 'session');
  box.dataset.session = s.id;
  const head = el('h3', 'Session ' + s.id + ': ' + s.scenario + ' (' + s.state + ')');
  box.append(head);
  if (s.state === 'joining') {
    const b = el('button', 'Start the game');
    b.className = 'start';
    b.onclick = async () => {
      try { await post('/api/start/' + s.id, {}); refresh(); }
      catch (e) { document.getElementById('error').textContent = e.message; }
    };
    box.append(b);
  }
  const t = el('table');
  const hr = el('tr');
  for (const h of ['team', 'week', 'seats (join links)', 'cost', '']) hr.append(el('th', h));
  t.append(hr);
  for (const team of s.teams) {
    const tr = el('tr');
    tr.dataset.team = team.team;
    tr.append(el('td', team.team));
    let week = team.over ? 'done' : team.week + ' of ' + s.horizon;
    if (team.seconds_left !== undefined) week += ' (' + Math.ceil(team.seconds_left) + ' s left)';
    tr.append(el('td', week, 'week'));
    const seats = el('td');
    for (const seat of team.seats) {
      const span = el('div', null, seat.joined ? 'seat-joined' : 'seat-empty');
      span.append(link('/play/' + seat.token, seat.role));
      span.dataset.role = seat.role;
      span.dataset.join = location.origin + '/play/' + seat.token;
      span.append(document.createTextNode(seat.joined ? (seat.ordered ? ' (ordered)' : ' (joined)') : ' (open)'));
      seats.append(span);
    }
    tr.append(seats);
    tr.append(el('td', team.cost === undefined ? '' : Math.round(team.cost).toLocaleString('en'), 'num'));
    const act = el('td');
    if (s.state === 'playing' && !team.over) {
      const b = el('button', 'Policy orders for whoever has not', 'skip');
      b.title = 'For a student who left: the scenario\'s policy orders this week for every player of the team who has not';
      b.onclick = async () => {
        try { await post('/api/skip/' + s.id, {team: String(team.team)}); refresh(); }
        catch (e) { document.getElementById('error').textContent = e.message; }
      };
      act.append(b);
    }
    tr.append(act);
    t.append(tr);
  }
  box.append(t);
  const links = el('p');
  links.append(link('/debrief/' + s.id + q, 'Debrief'), document.createTextNode(' · '),
               link('/orders/' + s.id + '.csv' + q, 'Orders (CSV)'));
  box.append(links);
  return box;
}
async function refresh() {
  try {
    const r = await fetch('/api/teacher' + q);
    if (!r.ok) { document.getElementById('error').textContent = 'The server refused the key (' + r.status + ').'; return; }
    const st = await r.json();
    if (!scenariosShown) {
      const sel = document.getElementById('scenario');
      for (const n of st.scenarios) { const o = el('option', n); o.value = n; sel.append(o); }
      scenariosShown = true;
    }
    const list = document.getElementById('sessions');
    list.replaceChildren(...st.sessions.slice().reverse().map(renderSession));
  } catch (e) {
    document.getElementById('error').textContent = 'The server does not answer: ' + e.message;
  }
}
document.getElementById('create').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  document.getElementById('error').textContent = '';
  try {
    await post('/api/sessions', {scenario: document.getElementById('scenario').value,
                                 teams: document.getElementById('teams').value});
    refresh();
  } catch (e) { document.getElementById('error').textContent = e.message; }
});
refresh();
setInterval(refresh, 1000);
)JS";

const char* const kPlayerJs = R"JS('use strict';
const token = location.pathname.split('/').pop();
const api = '/api/seat/' + token;
let lastWeek = -1, lastState = '';
function show(id, on) { document.getElementById(id).hidden = !on; }
function set(id, v) { document.getElementById(id).textContent = v; }
function num(v) { return Math.round(v).toLocaleString('en'); }
function render(s) {
  document.body.dataset.state = s.state;
  document.body.dataset.week = s.week;
  document.body.dataset.role = s.role;
  set('title', 'Team ' + s.team + ': the ' + s.role);
  show('history', s.orders.length > 0);
  set('orders', s.orders.join(' '));
  show('board', s.state === 'ordering' || s.state === 'ordered');
  show('end', s.state === 'over');
  show('join', s.state === 'open');
  if (s.state === 'open') set('status', 'This is the ' + s.role + "'s seat in team " + s.team + '. Take it to play.');
  if (s.state === 'joining') set('status', 'You have the ' + s.role + "'s seat. Waiting for the teacher to start the game.");
  if (s.state === 'absent') set('status', 'The game started without this seat; the ' + s.role + ' follows the policy.');
  if (s.state === 'ordering' || s.state === 'ordered') {
    const v = s.view;
    let status = s.time_unit + ' ' + (s.week + 1) + ' of ' + s.horizon + '. ';
    status += s.state === 'ordering' ? 'Your order?' : 'Ordered; waiting for the rest of your team.';
    if (s.seconds_left >= 0) status += ' (' + Math.ceil(s.seconds_left) + ' s left)';
    set('status', status);
    for (const k of ['shipment_in', 'order_in', 'on_hand', 'backlog', 'on_order']) set(k, num(v[k]));
    set('cost_so_far', v.cost_so_far.toFixed(2));
    show('pos_row', v.customer_demand !== null);
    if (v.customer_demand !== null) set('customer_demand', num(v.customer_demand));
    document.getElementById('send').disabled = s.state !== 'ordering';
    document.getElementById('quantity').disabled = s.state !== 'ordering';
    if (s.state === 'ordering' && (s.week !== lastWeek || lastState !== 'ordering')) {
      const input = document.getElementById('quantity');
      input.value = '';
      input.focus();
    }
  }
  if (s.state === 'over') {
    set('status', 'The game is over.');
    set('cost', s.cost.toFixed(2));
    set('cost_benchmark', s.cost_benchmark.toFixed(2));
    set('bullwhip', s.bullwhip === null ? 'n/a' : s.bullwhip.toFixed(2));
  }
  lastWeek = s.week;
  lastState = s.state;
}
async function refresh() {
  try {
    const r = await fetch(api);
    if (r.status === 404) { set('status', 'This join link is not known to the server.'); return; }
    if (!r.ok) { set('status', 'The server answered ' + r.status + '.'); return; }
    render(await r.json());
  } catch (e) { set('status', 'The server does not answer: ' + e.message); }
}
async function send(fields) {
  const r = await fetch(api, {method: 'POST', body: new URLSearchParams(fields)});
  const t = await r.json().catch(() => ({error: 'the server answered ' + r.status}));
  if (!r.ok) { set('error', t.error); set('status', t.error); return; }
  render(t);
}
document.getElementById('take').addEventListener('click', async () => {
  try { await send({join: '1'}); } catch (e) { set('status', 'The server does not answer: ' + e.message); }
});
document.getElementById('order').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  set('error', '');
  const value = document.getElementById('quantity').value.trim();
  try { await send({order: value}); } catch (e) { set('error', 'The server does not answer: ' + e.message); }
});
refresh();
setInterval(refresh, 1000);
)JS";

}  // namespace chainsim::models::classroom::pages
