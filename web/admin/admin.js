// Shared by the admin pages (dashboard, A/B evaluation, inbox): the admin API key, authenticated
// fetches and the navigation bar. A page includes admin.css and admin.js, a <nav id="admin-nav">, and
//   <form id="admin-login" hidden><label for="admin-key">Clave de administración</label>
//     <input id="admin-key" type="password" autocomplete="off"><button>Entrar</button>
//     <p id="admin-login-note" role="status"></p></form>
// then calls AtiendeAdmin.nav('<page id>') and AtiendeAdmin.fetchJson(url, options). The key is asked for once per browser tab (sessionStorage) and
// sent as `Authorization: Bearer <key>`; a 401 forgets it and asks again.
(function () {
  'use strict';
  const STORAGE_KEY = 'atiende.adminKey';
  const PAGES = [
    { href: '/admin/', label: 'Panel de indicadores', id: 'dashboard' },
    { href: '/admin/ab.html', label: 'Evaluación A/B', id: 'ab' },
    { href: '/admin/inbox.html', label: 'Bandeja de agentes', id: 'inbox' },
  ];

  function storedKey() { return sessionStorage.getItem(STORAGE_KEY) || ''; }

  /// Renders the navigation into #admin-nav, marking `active` (a PAGES id) as the current page.
  function nav(active) {
    const host = document.getElementById('admin-nav');
    if (!host) return;
    const list = document.createElement('ul');
    for (const page of PAGES) {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = page.href;
      link.textContent = page.label;
      if (page.id === active) link.setAttribute('aria-current', 'page');
      item.appendChild(link);
      list.appendChild(item);
    }
    host.replaceChildren(list);
  }

  /// Shows the key form (#admin-login) and resolves with the entered key.
  function askForKey(message) {
    const form = document.getElementById('admin-login');
    const input = document.getElementById('admin-key');
    const note = document.getElementById('admin-login-note');
    form.hidden = false;
    if (note) note.textContent = message || '';
    input.focus();
    return new Promise((resolve) => {
      form.onsubmit = (event) => {
        event.preventDefault();
        const key = input.value.trim();
        if (!key) return;
        sessionStorage.setItem(STORAGE_KEY, key);
        form.hidden = true;
        resolve(key);
      };
    });
  }

  /// fetch() with the admin key; on 401 asks for the key again and retries. Returns parsed JSON
  /// (or null for 204) and throws Error(message from the server's error body) on other failures.
  async function fetchJson(url, options = {}) {
    let key = storedKey() || (await askForKey(''));
    for (;;) {
      const headers = Object.assign({}, options.headers || {}, { Authorization: 'Bearer ' + key });
      if (options.body && !headers['Content-Type']) headers['Content-Type'] = 'application/json';
      const response = await fetch(url, Object.assign({}, options, { headers }));
      if (response.status === 401) {
        sessionStorage.removeItem(STORAGE_KEY);
        key = await askForKey('La clave de administración no es válida. Inténtalo de nuevo.');
        continue;
      }
      if (response.status === 204) return null;
      const text = await response.text();
      const body = text ? JSON.parse(text) : null;
      if (!response.ok) {
        const message = body && body.error ? body.error.message : response.statusText;
        throw new Error(message || ('HTTP ' + response.status));
      }
      return body;
    }
  }

  window.AtiendeAdmin = { nav, fetchJson, askForKey };
})();
