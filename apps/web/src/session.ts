import type { components } from './api/schema';

/** Who is signed in: the key (kept for this tab only) and what the API said it may do. */
export type Role = components['schemas']['KeyIdentity']['role'];

export interface Session {
  key: string;
  role: Role;
  /** The supplier a supplier key is bound to. */
  supplierId: string | null;
  /** A label for the header: the supplier's name for a supplier key. */
  label: string;
}

const STORAGE_KEY = 'tiersight.session';
const listeners = new Set<() => void>();

// sessionStorage, not localStorage: an API key is a secret and leaves with the tab.
export function currentSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(STORAGE_KEY);
  listeners.forEach((l) => l());
}

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const isAnalyst = (s: Session | null) => s?.role === 'analyst' || s?.role === 'admin';
export const isSupplier = (s: Session | null) => s?.role === 'supplier';
