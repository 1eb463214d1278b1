// atiende web chat: streams answers over SSE (fetch + ReadableStream), renders citations,
// thumbs, action confirmations and the post-conversation CSAT survey. No dependencies.
(() => {
  'use strict';
  const I18N = {
    es: {
      title: 'Asistente de UnaEmpresa', subtitle: 'Respuestas de nuestra base de conocimiento, con fuentes.',
      login: 'Iniciar sesión', tokenLabel: 'Token de cliente (lo emite el sitio de UnaEmpresa)',
      tokenSave: 'Usar token', resolvedQ: '¿Se resolvió tu consulta?', yes: 'Sí', no: 'No',
      surveyQ: '¿Qué tan satisfecho estás con la atención? (1 = nada, 5 = mucho)',
      comment: 'Comentario (opcional)', send: 'Enviar', end: 'Terminar', close: 'Cerrar',
      inputLabel: 'Escribe tu pregunta', placeholder: 'Escribe tu pregunta…', skip: 'Ir al mensaje',
      sources: 'Fuentes', helpful: 'Útil', notHelpful: 'No útil', thanks: '¡Gracias por tu opinión!',
      confirm: 'Confirmar', cancel: 'Cancelar', error: 'No pudimos responder ahora. Intenta de nuevo.',
      anonymous: 'Sesión anónima: puedes preguntar; para gestionar tu cuenta inicia sesión.',
      loggedIn: 'Sesión iniciada', surveyThanks: '¡Gracias! Tu respuesta nos ayuda a mejorar.',
      welcome: 'Hola, soy el asistente de UnaEmpresa. ¿En qué te puedo ayudar?', page: 'página',
      handoff: 'Te conectamos con un agente humano. Ticket', cancelled: 'Acción cancelada.',
      consent: 'Acepto que esta conversación, anonimizada, se use para mejorar el asistente (opcional).',
    },
    en: {
      title: 'UnaEmpresa Assistant', subtitle: 'Answers from our knowledge base, with sources.',
      login: 'Log in', tokenLabel: 'Customer token (issued by the UnaEmpresa website)',
      tokenSave: 'Use token', resolvedQ: 'Was your question resolved?', yes: 'Yes', no: 'No',
      surveyQ: 'How satisfied are you with the service? (1 = not at all, 5 = very)',
      comment: 'Comment (optional)', send: 'Send', end: 'Finish', close: 'Close',
      inputLabel: 'Type your question', placeholder: 'Type your question…', skip: 'Skip to message',
      sources: 'Sources', helpful: 'Helpful', notHelpful: 'Not helpful', thanks: 'Thanks for your feedback!',
      confirm: 'Confirm', cancel: 'Cancel', error: 'We could not answer right now. Please try again.',
      anonymous: 'Anonymous session: you can ask questions; log in to manage your account.',
      loggedIn: 'Logged in', surveyThanks: 'Thank you! Your answer helps us improve.',
      welcome: 'Hi, I am the UnaEmpresa assistant. How can I help?', page: 'page',
      handoff: 'We are connecting you with a human agent. Ticket', cancelled: 'Action cancelled.',
      consent: 'I agree that this conversation, anonymized, may be used to improve the assistant (optional).',
    },
  };
  const $ = (id) => document.getElementById(id);
  const state = { lang: (navigator.language || 'es').startsWith('en') ? 'en' : 'es', session: null,
                  token: sessionStorage.getItem('atiende_token') || '', busy: false };
  const params = new URLSearchParams(location.search);
  if (params.get('lang') === 'en' || params.get('lang') === 'es') state.lang = params.get('lang');
  if (params.get('token')) state.token = params.get('token');
  const t = (key) => I18N[state.lang][key] || key;

  function applyLanguage() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll('[data-i18n-placeholder]').forEach((el) => {
      el.placeholder = t(el.dataset.i18nPlaceholder);
    });
    $('lang').textContent = state.lang === 'es' ? 'EN' : 'ES';
    $('identity').textContent = state.token ? t('loggedIn') : t('anonymous');
  }

  async function api(path, body) {
    const response = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                         body: JSON.stringify(body || {}) });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error((data.error && data.error.message) || response.statusText);
    return data;
  }

  async function ensureSession() {
    if (state.session) return state.session;
    // Consent to use the (anonymized) transcript for training is the customer's choice, off by
    // default, and fixed for the session once it starts.
    const body = { language: state.lang, consent: $('consent').checked };
    if (state.token) body.customer_token = state.token;
    const data = await api('/v1/chat/sessions', body);
    state.session = data.session_id;
    $('consent').disabled = true;
    return state.session;
  }

  // After a handoff, the human agent's replies (role "agent" in the transcript) are shown as they
  // arrive: the transcript is polled every few seconds while the page is open.
  let agentSeen = 0;
  let agentTimer = null;
  function watchAgentReplies() {
    if (agentTimer) return;
    const poll = async () => {
      try {
        const response = await fetch('/v1/chat/sessions/' + state.session);
        if (!response.ok) return;
        const data = await response.json();
        const replies = (data.messages || []).filter((m) => m.role === 'agent');
        for (const m of replies.slice(agentSeen)) addMessage('agent', m.text);
        agentSeen = replies.length;
      } catch (e) { /* offline for a moment: try again on the next tick */ }
    };
    agentTimer = setInterval(poll, 3000);
  }

  function addMessage(role, text) {
    const el = document.createElement('div');
    el.className = 'msg ' + role;
    const body = document.createElement('div');
    body.className = 'body';
    body.textContent = text || '';
    el.appendChild(body);
    $('log').appendChild(el);
    $('log').scrollTop = $('log').scrollHeight;
    return el;
  }

  // Renders "[1]" markers in the streamed text as citation links once citations are known.
  function renderCitations(msgEl, citations) {
    const body = msgEl.querySelector('.body');
    const text = body.textContent;
    body.textContent = '';
    const byNumber = new Map(citations.map((c) => [String(c.n), c]));
    let last = 0;
    const re = /\[(\d+)\]/g;
    let m;
    while ((m = re.exec(text)) !== null) {
      body.appendChild(document.createTextNode(text.slice(last, m.index)));
      const c = byNumber.get(m[1]);
      if (c) {
        const a = document.createElement('a');
        a.href = '#'; a.className = 'cite'; a.textContent = '[' + m[1] + ']';
        a.setAttribute('aria-label', t('sources') + ' ' + m[1] + ': ' + (c.title || c.doc_id));
        a.addEventListener('click', (e) => { e.preventDefault(); showSource(c); });
        body.appendChild(a);
      } else {
        body.appendChild(document.createTextNode(m[0]));
      }
      last = m.index + m[0].length;
    }
    body.appendChild(document.createTextNode(text.slice(last)));
    if (!citations.length) return;
    const box = document.createElement('div');
    box.className = 'sources';
    box.appendChild(document.createTextNode(t('sources') + ':'));
    const list = document.createElement('ol');
    citations.forEach((c) => {
      const li = document.createElement('li');
      li.value = c.n;
      const a = document.createElement('a');
      a.href = '#'; a.textContent = c.title || c.doc_id;
      a.addEventListener('click', (e) => { e.preventDefault(); showSource(c); });
      li.appendChild(a);
      list.appendChild(li);
    });
    box.appendChild(list);
    msgEl.appendChild(box);
  }

  function showSource(c) {
    $('source-title').textContent = c.title || c.doc_id;
    $('source-meta').textContent = c.doc_id + (c.page ? ' · ' + t('page') + ' ' + c.page : '');
    $('source-text').textContent = c.snippet || c.text || '';
    $('source').showModal();
  }

  function addFeedback(msgEl, messageId) {
    const box = document.createElement('div');
    box.className = 'feedback';
    [['up', '👍', t('helpful')], ['down', '👎', t('notHelpful')]].forEach(([rating, icon, label]) => {
      const b = document.createElement('button');
      b.type = 'button'; b.textContent = icon; b.dataset.rating = rating;
      b.setAttribute('aria-label', label); b.setAttribute('aria-pressed', 'false');
      b.addEventListener('click', async () => {
        box.querySelectorAll('button').forEach((x) => x.setAttribute('aria-pressed', 'false'));
        b.setAttribute('aria-pressed', 'true');
        try {
          await api('/v1/chat/sessions/' + state.session + '/feedback', { message_id: messageId, rating });
          b.title = t('thanks');
        } catch (err) { b.title = err.message; }
      });
      box.appendChild(b);
    });
    msgEl.appendChild(box);
  }

  function addActionPreview(msgEl, preview) {
    const box = document.createElement('div');
    box.className = 'action';
    box.setAttribute('role', 'group');
    const summary = document.createElement('p');
    summary.textContent = preview.summary || preview.tool;
    box.appendChild(summary);
    const row = document.createElement('div');
    row.className = 'row';
    const decide = async (decision) => {
      row.querySelectorAll('button').forEach((x) => { x.disabled = true; });
      try {
        const result = await api('/v1/chat/sessions/' + state.session + '/confirm',
                                 { token: preview.token, decision });
        const p = document.createElement('p');
        p.textContent = result.message || (decision === 'confirm' ? '' : t('cancelled'));
        box.appendChild(p);
        box.classList.add(result.status === 'executed' ? 'done' : 'refused');
      } catch (err) {
        const p = document.createElement('p'); p.textContent = err.message; box.appendChild(p);
        box.classList.add('refused');
      }
    };
    const ok = document.createElement('button');
    ok.type = 'button'; ok.className = 'confirm'; ok.textContent = t('confirm');
    ok.addEventListener('click', () => decide('confirm'));
    const no = document.createElement('button');
    no.type = 'button'; no.className = 'cancel ghost'; no.textContent = t('cancel');
    no.addEventListener('click', () => decide('cancel'));
    row.append(ok, no);
    box.appendChild(row);
    msgEl.appendChild(box);
  }

  // Minimal SSE parser over a fetch body: calls onEvent(name, data) per event.
  async function readSse(response, onEvent) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let idx;
      while ((idx = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const frame = buffer.slice(0, idx);
        buffer = buffer.slice(idx).replace(/^\r?\n\r?\n/, '');
        let name = 'message'; const data = [];
        frame.split(/\r?\n/).forEach((line) => {
          if (line.startsWith(':')) return;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          let v = colon < 0 ? '' : line.slice(colon + 1);
          if (v.startsWith(' ')) v = v.slice(1);
          if (field === 'event') name = v; else if (field === 'data') data.push(v);
        });
        if (data.length) onEvent(name, data.join('\n'));
      }
    }
  }

  async function send(text) {
    if (state.busy) return;
    state.busy = true; $('send').disabled = true;
    addMessage('user', text);
    const bot = addMessage('bot', '');
    bot.setAttribute('aria-busy', 'true');
    const body = bot.querySelector('.body');
    try {
      const id = await ensureSession();
      const response = await fetch('/v1/chat/sessions/' + id + '/messages', {
        method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
        body: JSON.stringify({ text }) });
      if (!response.ok) {
        const data = await response.json().catch(() => ({}));
        throw new Error((data.error && data.error.message) || response.statusText);
      }
      let citations = [];
      await readSse(response, (name, raw) => {
        let data = {};
        try { data = JSON.parse(raw); } catch (e) { return; }
        if (name === 'token') { body.textContent += data.text || ''; $('log').scrollTop = $('log').scrollHeight; }
        else if (name === 'citations') citations = data.citations || [];
        else if (name === 'action_preview') addActionPreview(bot, data);
        else if (name === 'action_result' || name === 'action_refused') {
          const p = document.createElement('p'); p.className = 'action ' + (name === 'action_result' ? 'done' : 'refused');
          p.textContent = data.message || ''; bot.appendChild(p);
        } else if (name === 'handoff') {
          const p = document.createElement('p'); p.className = 'action';
          p.textContent = t('handoff') + ' ' + (data.ticket_id || ''); bot.appendChild(p);
          watchAgentReplies();
        } else if (name === 'error') { bot.classList.add('error'); body.textContent = data.message || t('error'); }
        else if (name === 'done') {
          renderCitations(bot, citations);
          if (data.message_id) addFeedback(bot, data.message_id);
          $('resolved').hidden = false;
        }
      });
    } catch (err) {
      bot.classList.add('error');
      body.textContent = t('error') + ' (' + err.message + ')';
    } finally {
      bot.removeAttribute('aria-busy');
      state.busy = false; $('send').disabled = false; $('input').focus();
    }
  }

  $('composer').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('input').value.trim();
    if (!text) return;
    $('input').value = '';
    send(text);
  });
  $('input').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); $('composer').requestSubmit(); }
  });
  $('lang').addEventListener('click', () => { state.lang = state.lang === 'es' ? 'en' : 'es'; applyLanguage(); });
  $('login-toggle').addEventListener('click', () => {
    const form = $('login'); form.hidden = !form.hidden;
    $('login-toggle').setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) $('token').focus();
  });
  $('login').addEventListener('submit', (e) => {
    e.preventDefault();
    state.token = $('token').value.trim();
    sessionStorage.setItem('atiende_token', state.token);
    state.session = null;  // a new session carries the identity (and the consent box again)
    $('consent').disabled = false;
    $('login').hidden = true; applyLanguage();
  });
  $('end').addEventListener('click', () => { $('resolved').hidden = false; $('resolved-yes').focus(); });
  const askSurvey = (resolved) => {
    state.resolved = resolved;
    $('resolved').hidden = true; $('survey').hidden = false;
    $('survey').querySelector('input').focus();
  };
  $('resolved-yes').addEventListener('click', () => askSurvey(true));
  $('resolved-no').addEventListener('click', () => askSurvey(false));
  $('survey').addEventListener('submit', async (e) => {
    e.preventDefault();
    const choice = $('survey').querySelector('input[name=csat]:checked');
    if (!choice) return;
    try {
      await ensureSession();
      await api('/v1/chat/sessions/' + state.session + '/survey', {
        csat: Number(choice.value), comment: $('survey-comment').value, resolved: !!state.resolved });
      $('survey').hidden = true;
      addMessage('bot', t('surveyThanks'));
    } catch (err) { addMessage('bot error', err.message); }
  });

  applyLanguage();
  addMessage('bot', t('welcome'));
})();
