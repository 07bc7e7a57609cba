/** A placeholder page proving the whole path: assets, REST and the /ws command channel. */
const $ = (id: string) => document.getElementById(id) as HTMLElement;

/** The actor writes a per-start token into the page; another site cannot read it. */
function sessionToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="theater-chat-session"]')?.content ?? '';
}

async function loadHealth(): Promise<void> {
  const res = await fetch('/api/health');
  const health = (await res.json()) as { version: string; store_id: string };
  $('version').textContent = health.version;
  $('store').textContent = health.store_id;
}

function connect(): void {
  const url = new URL('/ws', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(url);
  // Large frames arrive as binary frames holding UTF-8 JSON.
  socket.binaryType = 'arraybuffer';
  const pill = $('connection');
  const button = $('ping') as HTMLButtonElement;
  let sentAt = 0;
  socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'hello', token: sessionToken() })));
  socket.addEventListener('close', () => {
    pill.textContent = 'reconnecting…';
    pill.classList.remove('ok');
    button.disabled = true;
    setTimeout(connect, 1000);
  });
  socket.addEventListener('message', (event) => {
    const text = typeof event.data === 'string' ? event.data : new TextDecoder().decode(event.data as ArrayBuffer);
    const frame = JSON.parse(text) as { type: string };
    if (frame.type === 'welcome') {
      pill.textContent = 'connected';
      pill.classList.add('ok');
      button.disabled = false;
    }
    if (frame.type === 'pong') $('rtt').textContent = `${(performance.now() - sentAt).toFixed(1)} ms`;
  });
  button.onclick = () => {
    sentAt = performance.now();
    socket.send(JSON.stringify({ type: 'ping', request_id: String(sentAt) }));
  };
}

void loadHealth();
connect();
