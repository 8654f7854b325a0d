// In the app: the Fly.io API token, kept encrypted in the system's key store. The page only
// hands a new token over; the stored one never comes back to it.
import { useEffect, useState } from 'react';
import type { FlyTokenStore } from '../client/engine-client.ts';

export function FlyTokenForm({ store }: { store: FlyTokenStore }) {
  const [status, setStatus] = useState<{ stored: boolean; encryption: boolean } | null>(null);
  const [token, setToken] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    store.status().then(setStatus, (err: Error) => setMessage(err.message));
  }, [store]);

  const save = async (value: string) => {
    try {
      const result = await store.set(value);
      setStatus((s) => (s ? { ...s, stored: result.stored } : s));
      setToken('');
      setMessage(result.stored ? 'Token stored; the engine restarts to use it (services keep running).' : 'Token forgotten.');
    } catch (err) {
      setMessage((err as Error).message);
    }
  };

  if (status && !status.encryption) {
    return <p className="muted">This system cannot encrypt secrets: start Vigil with FLY_API_TOKEN set instead.</p>;
  }
  return (
    <form
      className="fly-token"
      onSubmit={(event) => {
        event.preventDefault();
        if (token.trim()) void save(token.trim());
      }}
    >
      <label>
        Fly.io API token {status?.stored ? <span className="muted">(stored)</span> : <span className="muted">(not set: only the health URL is polled)</span>}
        <input type="password" autoComplete="off" value={token} placeholder="fo1_…" onChange={(e) => setToken(e.target.value)} />
      </label>
      <button type="submit" className="btn" disabled={!token.trim()}>
        Save
      </button>
      {status?.stored && (
        <button type="button" className="btn" onClick={() => void save('')}>
          Forget
        </button>
      )}
      {message && <span className="muted">{message}</span>}
    </form>
  );
}
