import { create } from 'zustand';
import type { Profile } from '../../../shared/auth';
import type { AppErrorShape, Result } from '../../../shared/result';

/**
 * Who is signed in, as far as the renderer may know: the profile only. Tokens stay in the main
 * process; this store just routes between the sign-in screens and the messenger.
 */
export type AuthScreen = 'signIn' | 'signUp' | 'confirm' | 'forgot' | 'newPassword';

interface SessionState {
  status: 'restoring' | 'signedOut' | 'signedIn';
  profile: Profile | undefined;
  screen: AuthScreen;
  /** The handle carried from one screen to the next (sign-up → confirm, forgot → new password). */
  handle: string;
  /** A line for the person: where the code went, that the password changed… */
  notice: string | undefined;
  restore(): Promise<void>;
  setProfile(profile: Profile | null): void;
  go(screen: AuthScreen, options?: { handle?: string; notice?: string }): void;
  signOut(): Promise<Result<null>>;
}

export const useSessionStore = create<SessionState>()((set) => ({
  status: 'restoring',
  profile: undefined,
  screen: 'signIn',
  handle: '',
  notice: undefined,
  async restore() {
    const result = await window.api.getSession();
    const profile = result.ok ? result.value : null;
    set(profile ? { status: 'signedIn', profile } : { status: 'signedOut', profile: undefined });
  },
  setProfile(profile) {
    set(
      profile
        ? { status: 'signedIn', profile, notice: undefined }
        : { status: 'signedOut', profile: undefined, screen: 'signIn' },
    );
  },
  go(screen, options = {}) {
    set((state) => ({ screen, handle: options.handle ?? state.handle, notice: options.notice }));
  },
  async signOut() {
    const result = await window.api.signOut();
    if (result.ok)
      set({ status: 'signedOut', profile: undefined, screen: 'signIn', notice: 'You are signed out.' });
    return result;
  },
}));

export type { AppErrorShape };
