/**
 * Where a drawer opens: beside the stage (the stage narrows, nothing covers it) on a wide screen, over the stage's
 * right side on a narrow one and in presentation mode (the picture keeps the whole width; a drawer is opened on
 * purpose and closed again). Decided here only: the style sheet reads the outcome from <html data-dock>.
 */
import { useLayoutEffect, useRef, useSyncExternalStore } from 'react';
import { useLab, useLabActions } from '../../store/context';

/** From this viewport width (CSS px) an open drawer sits beside the stage. */
export const DOCK_BESIDE_MIN_WIDTH = 1200;

export type DockMode = 'beside' | 'over';

const QUERY = `(min-width: ${DOCK_BESIDE_MIN_WIDTH}px)`;

function subscribe(onChange: () => void): () => void {
  const list = typeof window !== 'undefined' ? window.matchMedia?.(QUERY) : undefined;
  list?.addEventListener('change', onChange);
  return () => list?.removeEventListener('change', onChange);
}

/** Wide enough for a drawer beside the stage (where the page cannot tell, as in a unit test's DOM, it is). */
function wide(): boolean {
  return typeof window === 'undefined' || !window.matchMedia ? true : window.matchMedia(QUERY).matches;
}

export function dockMode(isWide: boolean, presentation: boolean): DockMode {
  return isWide && !presentation ? 'beside' : 'over';
}

/**
 * The dock mode, kept on <html data-dock>. A drawer that would come to lie over the stage — at a narrow first load,
 * or when the window narrows — is closed: the stage is never covered unless someone opens a drawer on purpose.
 */
export function useDock(): DockMode {
  const presentation = useLab((s) => s.ui.presentation);
  const isWide = useSyncExternalStore(subscribe, wide, () => true);
  const mode = dockMode(isWide, presentation);
  const { setDrawer } = useLabActions();
  const previous = useRef<DockMode | null>(null);
  useLayoutEffect(() => {
    document.documentElement.dataset.dock = mode;
    // Entering presentation mode closes the drawer itself (pageSlice); here only a narrowing window does.
    if (mode === 'over' && previous.current !== 'over' && !presentation) setDrawer(null);
    previous.current = mode;
  }, [mode, presentation, setDrawer]);
  return mode;
}
