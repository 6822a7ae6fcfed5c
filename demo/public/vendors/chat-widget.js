// Stand-in for a third-party support chat. It runs only when ConsentGate activates it (tagged
// `data-cg-purpose="functional"`): it opens a session with the provider, telling it the current
// page, keeps a session cookie, and shows a chat button. Messages typed into it go nowhere.
(() => {
  const ja = document.documentElement.lang === 'ja';
  const text = ja
    ? {
        button: 'チャットで相談',
        title: 'サポートチャット',
        hello: 'こんにちは。ご質問があればどうぞ（デモのため、メッセージは送信されません）。',
        close: '閉じる',
      }
    : {
        button: 'Chat with us',
        title: 'Support chat',
        hello: 'Hello! Ask us anything (this is a demo: messages are not sent).',
        close: 'Close',
      };
  const existing = /(?:^|;\s*)_chat_session=([^;]+)/.exec(document.cookie)?.[1];
  const session = existing ?? crypto.randomUUID().slice(0, 8);
  document.cookie = `_chat_session=${session}; path=/; max-age=2592000; SameSite=Lax`;
  const url = '/vendors/chat/v1/session';
  void fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ session, page: location.pathname }),
  }).catch(() => {});
  window.dispatchEvent(
    new CustomEvent('demo:vendor-request', {
      detail: { url, fields: ['_chat_session', 'page'] },
    }),
  );

  const host = document.createElement('div');
  host.setAttribute('data-vendor', 'chat');
  const root = host.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`
    :host { position: fixed; right: 16px; bottom: 16px; z-index: 2147482000; font: 14px/1.6 system-ui, sans-serif; }
    button { font: inherit; cursor: pointer; }
    .open { border: none; border-radius: 999px; padding: 10px 18px; background: #4b2c7f; color: #fff; box-shadow: 0 4px 14px #0003; }
    .box { width: 280px; background: #fff; color: #222; border-radius: 12px; box-shadow: 0 8px 28px #0003; overflow: hidden; }
    .head { display: flex; justify-content: space-between; align-items: center; background: #4b2c7f; color: #fff; padding: 8px 12px; }
    .head button { background: none; border: none; color: inherit; text-decoration: underline; }
    p { margin: 12px; }
  `);
  root.adoptedStyleSheets = [sheet];
  const open = document.createElement('button');
  open.className = 'open';
  open.textContent = text.button;
  const box = document.createElement('div');
  box.className = 'box';
  box.hidden = true;
  const head = document.createElement('div');
  head.className = 'head';
  const title = document.createElement('strong');
  title.textContent = text.title;
  const close = document.createElement('button');
  close.textContent = text.close;
  head.append(title, close);
  const hello = document.createElement('p');
  hello.textContent = text.hello;
  box.append(head, hello);
  open.addEventListener('click', () => {
    box.hidden = false;
    open.hidden = true;
  });
  close.addEventListener('click', () => {
    box.hidden = true;
    open.hidden = false;
  });
  root.append(open, box);
  document.body.append(host);
})();
