// The logged-in user (from GET /api/auth/verify) and what their role may do.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export const AuthContext = createContext({ user: null, setUser: () => {} });
export const useAuth = () => useContext(AuthContext);

const ROLE_NAMES = ['admin', 'user', 'viewer', 'api'];

/** verify returns role as a name; user objects return it as a number. Normalise to a name. */
export function roleName(role) {
  if (typeof role === 'number') return ROLE_NAMES[role] ?? 'viewer';
  return typeof role === 'string' ? role.toLowerCase() : 'viewer';
}

export function can(user, action) {
  const r = roleName(user?.role);
  switch (action) {
    case 'admin': // settings, users, system
      return r === 'admin';
    case 'edit': // streams CRUD, protect, tags
      return r === 'admin' || r === 'user' || r === 'api';
    case 'delete-recordings': // upstream: admin or user only
      return r === 'admin' || r === 'user';
    default:
      return false;
  }
}

export { ROLE_NAMES };
