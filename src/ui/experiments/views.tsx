import { useEffect, useState } from 'react';

/**
 * Which of the app's three views is shown. It lives in the URL's hash (#experiments), so the query string stays the
 * visualizer's (its shared scenario) and a trial link — this page with a scenario and no hash — opens the visualizer.
 */
export type AppView = 'visualizer' | 'compare' | 'experiments';

export const EXPERIMENTS_HASH = '#experiments';
export const COMPARE_HASH = '#compare';

function viewFromHash(): AppView {
  if (typeof location === 'undefined') return 'visualizer';
  if (location.hash === EXPERIMENTS_HASH) return 'experiments';
  return location.hash === COMPARE_HASH ? 'compare' : 'visualizer';
}

/**
 * The current view. Read from the hash once, then changed only by hash navigation, so code that rewrites the
 * query with history.replaceState (and drops the hash) does not switch views under the user.
 */
export function useAppView(): AppView {
  const [view, setView] = useState(viewFromHash);
  useEffect(() => {
    const onHash = () => setView(viewFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return view;
}

/** Three links, not tabs with panels: each view is its own address, so Back, bookmarks and new tabs work. */
export function ViewTabs({ view }: { view: AppView }) {
  return (
    <nav className="view-tabs" aria-label="Views">
      <a href="#visualizer" aria-current={view === 'visualizer' ? 'page' : undefined}>
        Visualizer
      </a>
      <a href={COMPARE_HASH} aria-current={view === 'compare' ? 'page' : undefined}>
        Compare
      </a>
      <a href={EXPERIMENTS_HASH} aria-current={view === 'experiments' ? 'page' : undefined}>
        Experiments
      </a>
    </nav>
  );
}
