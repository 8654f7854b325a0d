// The route from the address's #fragment, following its changes (links, back and forward).
import { useEffect, useState } from 'react';
import { parseRoute, type Route } from './route.ts';

export function useRoute(win: Window): Route {
  const [route, setRoute] = useState(() => parseRoute(win.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(win.location.hash));
    win.addEventListener('hashchange', onChange);
    return () => win.removeEventListener('hashchange', onChange);
  }, [win]);
  return route;
}
