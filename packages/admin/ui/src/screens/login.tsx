import { useState } from 'preact/hooks';
import { api, setToken } from '../api';
import type { Me } from '../types';

/** Asks for a bearer token and checks it against the server. */
export function Login(props: { onLogin: (me: Me) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    setToken(value.trim());
    try {
      props.onLogin(await api<Me>('/whoami'));
    } catch (err) {
      setToken(null);
      setError((err as Error).message);
    }
  };
  return (
    <form class="login" onSubmit={submit}>
      <h1>@mq admin</h1>
      <label>
        Access token
        <input
          type="password"
          name="token"
          value={value}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
        />
      </label>
      <button type="submit">Sign in</button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
