import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { MessageText } from '../../renderer/src/components/MessageText';
import { splitLinks } from '../../renderer/src/lib/links';
import { installFakeApi } from './support/fake-api';

const links = (text: string) => splitLinks(text).flatMap((part) => (part.kind === 'link' ? [part.url] : []));

describe('links in message text', () => {
  it('finds http and https addresses and keeps the rest as text', () => {
    expect(splitLinks('see https://cruddur.com/a?b=1#c and http://x.org now')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://cruddur.com/a?b=1#c', url: 'https://cruddur.com/a?b=1#c' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'http://x.org', url: 'http://x.org' },
      { kind: 'text', text: ' now' },
    ]);
  });

  it('leaves sentence punctuation and an unopened bracket outside the link', () => {
    expect(links('Look: https://cruddur.com/page.')).toEqual(['https://cruddur.com/page']);
    expect(links('Really https://cruddur.com/?!')).toEqual(['https://cruddur.com/']);
    expect(links('(see https://cruddur.com/x)')).toEqual(['https://cruddur.com/x']);
    expect(links('https://en.wikipedia.org/wiki/Foo_(bar)')).toEqual([
      'https://en.wikipedia.org/wiki/Foo_(bar)',
    ]);
    expect(links('a, https://a.io, b')).toEqual(['https://a.io']);
    const text = '(see https://cruddur.com/x).';
    expect(
      splitLinks(text)
        .map((part) => part.text)
        .join(''),
    ).toBe(text);
  });

  it('never makes a link of other schemes or bare domains', () => {
    for (const text of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,<b>x</b>',
      'cruddur.com',
      'www.cruddur.com',
      'ftp://cruddur.com',
      'https://',
      'xhttps://cruddur.com',
    ]) {
      expect(links(text)).toEqual([]);
    }
  });

  it('renders links that open through the main process, and everything else as text', () => {
    const { api } = installFakeApi();
    const { container } = render(
      <MessageText text="go https://cruddur.com/x. not javascript:alert(1) <b>nor this</b>" />,
    );
    const link = screen.getByRole('link', { name: 'https://cruddur.com/x' });
    expect(link.getAttribute('href')).toBe('https://cruddur.com/x');
    expect(container.querySelectorAll('a')).toHaveLength(1);
    expect(container.querySelector('b')).toBeNull();
    expect(container.textContent).toBe('go https://cruddur.com/x. not javascript:alert(1) <b>nor this</b>');

    const clicked = fireEvent.click(link);
    expect(clicked).toBe(false); // the window itself never navigates
    expect(api.openLink).toHaveBeenCalledWith({ url: 'https://cruddur.com/x' });

    const middle = new MouseEvent('auxclick', { bubbles: true, cancelable: true, button: 1 });
    fireEvent(link, middle);
    expect(middle.defaultPrevented).toBe(true);
    expect(api.openLink).toHaveBeenCalledTimes(2);
  });
});
