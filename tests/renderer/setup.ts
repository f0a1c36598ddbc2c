import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { useConnectivityStore } from '../../renderer/src/store/connectivity';
import { useConversationsStore } from '../../renderer/src/store/conversations';
import { useSessionStore } from '../../renderer/src/store/session';
import { useThreadsStore } from '../../renderer/src/store/threads';

// happy-dom lays nothing out, so every element measures 0×0 and a virtualized list would show
// no rows. Give elements the size of a small window, as a browser would.
Object.defineProperties(HTMLElement.prototype, {
  offsetHeight: { configurable: true, get: () => 600 },
  offsetWidth: { configurable: true, get: () => 800 },
  clientHeight: { configurable: true, get: () => 600 },
  clientWidth: { configurable: true, get: () => 800 },
});

afterEach(() => {
  cleanup();
  useConversationsStore.getState().reset();
  useThreadsStore.getState().reset();
  useConnectivityStore.setState({ connectivity: undefined, retrying: false });
  useSessionStore.setState({
    status: 'restoring',
    profile: undefined,
    screen: 'signIn',
    handle: '',
    notice: undefined,
  });
});
