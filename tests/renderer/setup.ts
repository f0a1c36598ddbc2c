import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { useConversationsStore } from '../../renderer/src/store/conversations';
import { useSessionStore } from '../../renderer/src/store/session';
import { useThreadsStore } from '../../renderer/src/store/threads';

afterEach(() => {
  cleanup();
  useConversationsStore.getState().reset();
  useThreadsStore.getState().reset();
  useSessionStore.setState({
    status: 'restoring',
    profile: undefined,
    screen: 'signIn',
    handle: '',
    notice: undefined,
  });
});
