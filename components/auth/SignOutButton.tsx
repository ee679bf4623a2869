'use client';

export function SignOutButton() {
  async function signOut() {
    await fetch('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
    window.location.assign('/login');
  }
  return (
    <button type="button" className="link-button" onClick={signOut}>
      로그아웃
    </button>
  );
}
