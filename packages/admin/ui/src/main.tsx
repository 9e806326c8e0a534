import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, setToken, token } from './api';
import type { Me } from './types';
import { AuditScreen } from './screens/audit';
import { JobScreen } from './screens/job';
import { Login } from './screens/login';
import { Overview } from './screens/overview';
import { QueueScreen } from './screens/queue';
import { WorkersScreen } from './screens/workers';

/** The route is the hash (`#/q/main/emails`), so any base path works without rewrites. */
function useRoute(): string[] {
  const read = () =>
    location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(read());
  useEffect(() => {
    const on = () => setRoute(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [theme, setTheme] = useState(localStorage.getItem('mq-theme') ?? 'dark');
  const route = useRoute();
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('mq-theme', theme);
  }, [theme]);
  useEffect(() => {
    if (token()) api<Me>('/whoami').then(setMe, () => setToken(null));
  }, []);
  useEffect(() => {
    // Keyboard navigation: g o / g w / g a jump between screens.
    let g = false;
    const on = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement).tagName === 'INPUT') return;
      if (g && e.key === 'o') location.hash = '#/';
      if (g && e.key === 'w') location.hash = '#/workers';
      if (g && e.key === 'a') location.hash = '#/audit';
      g = e.key === 'g';
    };
    addEventListener('keydown', on);
    return () => removeEventListener('keydown', on);
  }, []);
  if (!me) return <Login onLogin={setMe} />;
  const [screen, b, q, id] = route;
  return (
    <div class="shell">
      <header>
        <a href="#/" class="brand">
          @mq admin
        </a>
        <nav>
          <a href="#/">Queues</a>
          <a href="#/workers">Workers</a>
          <a href="#/audit">Audit</a>
        </nav>
        <span class="me" data-testid="me">
          {me.id} ({me.role})
        </span>
        <button type="button" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}>
          {theme === 'dark' ? 'Light' : 'Dark'}
        </button>
        <button
          type="button"
          onClick={() => {
            setToken(null);
            setMe(null);
          }}
        >
          Log out
        </button>
      </header>
      <main>
        {screen === 'q' && b && q && id ? (
          <JobScreen backend={b} queue={q} id={id} />
        ) : screen === 'q' && b && q ? (
          <QueueScreen backend={b} queue={q} role={me.role} />
        ) : screen === 'workers' ? (
          <WorkersScreen />
        ) : screen === 'audit' ? (
          <AuditScreen />
        ) : (
          <Overview />
        )}
      </main>
    </div>
  );
}

render(<App />, document.getElementById('app') as HTMLElement);
