// The human agents' inbox: handed-off conversations (tickets), their context, replies that go
// into the customer's chat, and closing. Talks to /v1/admin/tickets with the admin key.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const REASONS = {
    customer_request: 'Lo pidió el cliente', abstain_rejected: 'Sin respuesta en la base',
    backend_unavailable: 'Sistema no disponible',
  };
  const ROLES = { user: 'Cliente', assistant: 'Asistente', agent: 'Agente', system: 'Sistema', tool: 'Herramienta' };
  let current = null;

  function when(ms) { return ms ? new Date(ms).toLocaleString('es-CO') : ''; }

  function cell(row, text) {
    const td = document.createElement('td');
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  async function loadList() {
    const status = $('status-filter').value;
    $('inbox-status').textContent = 'Cargando…';
    try {
      const data = await AtiendeAdmin.fetchJson('/v1/admin/tickets' + (status ? '?status=' + status : ''));
      const body = document.querySelector('#tickets tbody');
      body.replaceChildren();
      for (const t of data.tickets) {
        const row = document.createElement('tr');
        row.dataset.ticket = t.id;
        const link = document.createElement('a');
        link.href = '#' + t.id;
        link.textContent = t.id;
        link.addEventListener('click', (e) => { e.preventDefault(); openTicket(t.id); });
        cell(row, '').appendChild(link);
        cell(row, REASONS[t.reason_code] || t.reason_code);
        cell(row, t.intent || '—');
        cell(row, t.summary);
        cell(row, when(t.created_ms));
        cell(row, t.status === 'open' ? 'Abierto' : 'Cerrado');
        body.appendChild(row);
      }
      $('inbox-status').textContent = data.tickets.length
        ? data.tickets.length + ' caso(s)' : 'No hay casos en este estado.';
    } catch (err) {
      $('inbox-status').textContent = 'Error: ' + err.message;
    }
  }

  async function openTicket(id) {
    const t = await AtiendeAdmin.fetchJson('/v1/admin/tickets/' + encodeURIComponent(id));
    current = t;
    $('ticket').hidden = false;
    $('ticket-title').textContent = 'Caso ' + t.id;
    $('ticket-meta').textContent = [
      REASONS[t.reason_code] || t.reason_code,
      t.intent ? 'intención: ' + t.intent : '',
      Object.keys(t.slots || {}).length ? 'datos: ' + JSON.stringify(t.slots) : '',
      t.authenticated ? 'cliente identificado' : 'cliente anónimo',
      t.status === 'open' ? 'abierto' : 'cerrado',
    ].filter(Boolean).join(' · ');
    const list = $('ticket-messages');
    list.replaceChildren();
    for (const m of t.messages) {
      const li = document.createElement('li');
      li.className = 'turn ' + m.role;
      const who = document.createElement('strong');
      who.textContent = (ROLES[m.role] || m.role) + ': ';
      li.append(who, document.createTextNode(m.text));
      list.appendChild(li);
    }
    $('ticket-gaps-box').hidden = !t.retrieval_gaps.length;
    $('ticket-gaps').replaceChildren(...t.retrieval_gaps.map((g) => {
      const li = document.createElement('li'); li.textContent = g; return li;
    }));
    const closed = t.status !== 'open';
    $('reply-text').disabled = closed;
    $('reply-send').disabled = closed;
    $('close-ticket').disabled = closed;
    $('reply-status').textContent = closed ? 'Este caso está cerrado.' : '';
    $('ticket-title').focus();
  }

  $('reply-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!current) return;
    const text = $('reply-text').value.trim();
    if (!text) return;
    try {
      await AtiendeAdmin.fetchJson('/v1/admin/tickets/' + encodeURIComponent(current.id) + '/reply',
                                   { method: 'POST', body: JSON.stringify({ text }) });
      $('reply-text').value = '';
      await openTicket(current.id);
      $('reply-status').textContent = 'Respuesta enviada al chat del cliente.';
    } catch (err) {
      $('reply-status').textContent = 'Error: ' + err.message;
    }
  });

  $('close-ticket').addEventListener('click', async () => {
    if (!current) return;
    await AtiendeAdmin.fetchJson('/v1/admin/tickets/' + encodeURIComponent(current.id) + '/close',
                                 { method: 'POST' });
    await openTicket(current.id);
    await loadList();
  });

  $('refresh').addEventListener('click', loadList);
  $('status-filter').addEventListener('change', loadList);
  $('ticket-title').tabIndex = -1;
  AtiendeAdmin.nav('inbox');
  loadList().then(() => { if (location.hash.length > 1) openTicket(location.hash.slice(1)); });
})();
