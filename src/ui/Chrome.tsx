import { useEffect, useRef } from 'react';
import { useLab, useLabActions } from '../store/context';
import { SHORTCUTS } from './shortcuts';

const THEME_KEY = 'pbft-lab-theme';

export function storedTheme(): 'system' | 'light' | 'dark' {
  try {
    const v = window.localStorage.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

/** Puts the theme and presentation mode on <html>, where the style sheet reads them, and remembers the theme. */
export function useDocumentChrome(): void {
  const theme = useLab((s) => s.ui.theme);
  const presentation = useLab((s) => s.ui.presentation);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
    try {
      if (theme === 'system') window.localStorage.removeItem(THEME_KEY);
      else window.localStorage.setItem(THEME_KEY, theme);
    } catch {
      // Private windows may refuse storage; the theme still applies to this visit.
    }
  }, [theme]);
  useEffect(() => {
    const root = document.documentElement;
    if (presentation) root.dataset.presentation = 'on';
    else delete root.dataset.presentation;
  }, [presentation]);
}

/** Theme, presentation mode and help, beside the share buttons in the header. */
export function DisplayControls() {
  const theme = useLab((s) => s.ui.theme);
  const presentation = useLab((s) => s.ui.presentation);
  const { setTheme, togglePresentation, setHelpOpen } = useLabActions();
  return (
    <div className="display-controls" role="group" aria-label="Display">
      <label className="visually-hidden" htmlFor="theme-select">
        Theme
      </label>
      <select id="theme-select" className="small" value={theme} onChange={(e) => setTheme(e.currentTarget.value as typeof theme)} title="Theme (T)">
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
      <button type="button" className="small" aria-pressed={presentation} onClick={togglePresentation} title="Large text for the back row (P)">
        Presentation
      </button>
      <button type="button" className="small" onClick={() => setHelpOpen(true)} title="Keyboard shortcuts (?)" aria-haspopup="dialog">
        <span aria-hidden="true">?</span>
        <span className="visually-hidden">Keyboard shortcuts</span>
      </button>
    </div>
  );
}

/** What Tab can reach inside an element, in order. */
function focusables(root: HTMLElement): HTMLElement[] {
  const selector = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
  return [...root.querySelectorAll<HTMLElement>(selector)];
}

/**
 * The keyboard shortcuts, on `?`. A modal dialog: focus moves into it, Tab and Shift+Tab stay inside it, the page
 * behind is inert (no clicks, no focus, hidden from screen readers) until it closes, and focus then returns to
 * where it was (or to the help button).
 */
export function HelpOverlay() {
  const open = useLab((s) => s.ui.helpOpen);
  const { setHelpOpen } = useLabActions();
  const close = useRef<HTMLButtonElement>(null);
  const overlay = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const before = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    const layer = overlay.current;
    const behind = layer?.parentElement ? [...layer.parentElement.children].filter((el): el is HTMLElement => el !== layer && el instanceof HTMLElement && !el.inert) : [];
    for (const el of behind) el.inert = true;
    close.current?.focus();
    return () => {
      for (const el of behind) el.inert = false;
      const target = before?.isConnected ? before : document.querySelector<HTMLElement>('button[title^="Keyboard shortcuts"]');
      target?.focus();
    };
  }, [open]);
  if (!open) return null;
  return (
    <div className="overlay" ref={overlay} onClick={() => setHelpOpen(false)}>
      <div
        className="help"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-heading"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            setHelpOpen(false);
          } else if (e.key === 'Tab') {
            // Keep Tab inside the dialog, cycling through what it holds.
            const stops = focusables(e.currentTarget);
            if (stops.length === 0) return;
            const at = stops.indexOf(document.activeElement as HTMLElement);
            const next = e.shiftKey ? (at <= 0 ? stops.length - 1 : at - 1) : at === stops.length - 1 ? 0 : at + 1;
            e.preventDefault();
            stops[next].focus();
          }
        }}
      >
        <h2 id="help-heading">Keyboard shortcuts</h2>
        <table>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys}>
                <th scope="row">
                  <kbd>{s.keys}</kbd>
                </th>
                <td>{s.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="hint">
          Shortcuts pause while you type in a field. Click a replica to toggle it malicious; Shift-click to inspect it — or set the graph’s Click to
          Inspect (on a touch screen, tap). The drawers at the right hold the status and log, the scenario, the inspector, the lesson and sharing.
        </p>
        <button ref={close} type="button" onClick={() => setHelpOpen(false)}>
          Close
        </button>
      </div>
    </div>
  );
}
