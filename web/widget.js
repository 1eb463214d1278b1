// Embeddable chat bubble: <script src="https://ASSISTANT-HOST/widget.js" async></script>
// Adds a floating button that opens the atiende chat (served by the same host) in a panel.
(() => {
  'use strict';
  const script = document.currentScript;
  const origin = script ? new URL(script.src).origin : '';
  const lang = (script && script.dataset.lang) || document.documentElement.lang || 'es';
  const label = lang.startsWith('en') ? 'Chat with us' : 'Chatea con nosotros';
  const button = document.createElement('button');
  button.type = 'button';
  button.id = 'atiende-bubble';
  button.setAttribute('aria-label', label);
  button.setAttribute('aria-expanded', 'false');
  button.textContent = '💬';
  Object.assign(button.style, { position: 'fixed', right: '20px', bottom: '20px', width: '56px',
    height: '56px', borderRadius: '50%', border: '0', background: '#0b4f8a', color: '#fff',
    fontSize: '26px', cursor: 'pointer', boxShadow: '0 4px 12px rgba(0,0,0,.25)', zIndex: 2147483000 });
  const frame = document.createElement('iframe');
  frame.title = label;
  frame.src = origin + '/?lang=' + encodeURIComponent(lang.slice(0, 2));
  frame.hidden = true;
  Object.assign(frame.style, { position: 'fixed', right: '20px', bottom: '88px', width: '380px',
    maxWidth: 'calc(100vw - 40px)', height: '560px', maxHeight: 'calc(100vh - 120px)', border: '0',
    borderRadius: '12px', boxShadow: '0 8px 24px rgba(0,0,0,.3)', zIndex: 2147483000, background: '#fff' });
  button.addEventListener('click', () => {
    frame.hidden = !frame.hidden;
    button.setAttribute('aria-expanded', String(!frame.hidden));
  });
  const mount = () => { document.body.append(frame, button); };
  if (document.body) mount(); else document.addEventListener('DOMContentLoaded', mount);
})();
