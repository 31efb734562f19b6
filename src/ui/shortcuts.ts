import { useContext, useEffect } from 'react';
import { LabStoreContext } from '../store/context';
import type { LabStore } from '../store/labStore';
import { questionOnScreen } from '../store/predictSlice';

/** What the help overlay lists: the keys a presenter needs without touching the mouse. */
export const SHORTCUTS: ReadonlyArray<{ keys: string; what: string }> = [
  { keys: 'Space', what: 'Play / pause' },
  { keys: '→', what: 'Step: the next event' },
  { keys: 'Shift + →', what: 'Next phase: until every message of this phase has arrived (in Predict mode: reveal the open question first)' },
  { keys: 'Ctrl/⌘ + → or R', what: 'Next request: until the client accepts a result' },
  { keys: '←', what: 'Back one step' },
  { keys: 'Home / End', what: 'Jump to the start / to the newest moment' },
  { keys: 'N', what: 'The client sends a new request' },
  { keys: '0–9', what: 'Select a replica for the inspector (type 12 for replica 12); with a Predict question open, put it in the room’s answer or take it out' },
  { keys: 'M', what: 'Toggle the selected replica malicious' },
  { keys: 'Esc', what: 'Clear the selection, close this help; in a drawer or an Export menu, close it' },
  { keys: '[ / ]', what: 'Slower / faster' },
  { keys: 'P', what: 'Presentation mode (large text)' },
  { keys: 'Q', what: 'Predict mode: the room answers a question before each phase' },
  { keys: 'T', what: 'Light / dark theme' },
  { keys: '?', what: 'This help' },
];

/** Typing in a field, or working a control that owns these keys, is never a shortcut. */
function ownsKey(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof Element)) return false;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return true;
  if (target instanceof HTMLElement && target.isContentEditable) return true;
  // Widgets that move with the arrow keys themselves (tabs, sliders, lists) keep every key.
  if (target.closest('[role="tab"], [role="tablist"], [role="slider"], [role="listbox"], [role="menu"], [role="radiogroup"], [role="grid"]')) return true;
  const button = target.closest('button, [role="button"], a[href], summary');
  return button !== null && (key === ' ' || key === 'Enter');
}

/** Multi-digit replica numbers: digits typed within this many ms join up (1, 2 → replica 12). */
const DIGIT_JOIN_MS = 700;

export function handleShortcut(store: LabStore, e: KeyboardEvent, digits: { text: string; at: number }, effectiveDark: () => boolean): boolean {
  if (e.altKey || e.defaultPrevented || ownsKey(e.target, e.key)) return false;
  const state = store.getState();
  const a = state.actions;
  const mod = e.ctrlKey || e.metaKey;
  if (state.ui.helpOpen && e.key !== 'Escape' && e.key !== '?') return false;
  if (mod && e.key !== 'ArrowRight') return false;
  switch (e.key) {
    case ' ':
      a.togglePlay();
      return true;
    case 'ArrowRight':
      if (e.shiftKey && !mod) a.nextPhase();
      else a.step(mod ? 'request' : 'event');
      return true;
    case 'ArrowLeft':
      a.back();
      return true;
    case 'Home':
      a.seekTime(0);
      return true;
    case 'End':
      a.toLive();
      return true;
    case 'r':
    case 'R':
      a.step('request');
      return true;
    case 'n':
    case 'N':
      a.newRequest();
      return true;
    case 'm':
    case 'M':
      if (state.selection.replica === null) return false;
      a.toggleMalicious(state.selection.replica);
      return true;
    case 'Escape':
      if (state.ui.helpOpen) a.setHelpOpen(false);
      else {
        a.selectReplica(null);
        a.selectMessage(null);
      }
      return true;
    case '[':
      a.setSpeed(state.playback.speed / 2);
      return true;
    case ']':
      a.setSpeed(state.playback.speed * 2);
      return true;
    case 'p':
    case 'P':
      a.togglePresentation();
      return true;
    case 'q':
    case 'Q':
      a.togglePredict();
      return true;
    case 't':
    case 'T':
      a.setTheme(effectiveDark() ? 'light' : 'dark');
      return true;
    case '?':
      a.setHelpOpen(!state.ui.helpOpen);
      return true;
    default:
      if (/^[0-9]$/.test(e.key)) {
        const joined = e.timeStamp - digits.at < DIGIT_JOIN_MS ? digits.text + e.key : e.key;
        const n = state.run.n;
        // Keep the longest run of digits that still names a replica.
        const text = Number(joined) < n ? joined : e.key;
        const previous = digits.text;
        digits.text = text;
        digits.at = e.timeStamp;
        const question = questionOnScreen(state);
        if (question && question.shape !== 'yes-no') {
          // A Predict question is open: the digits mark the room's answer (1 then 2 is replica 12, not 1 and 12).
          if (text !== e.key && previous) a.toggleAnswerReplica(Number(previous));
          a.toggleAnswerReplica(Number(text));
          return true;
        }
        a.selectReplica(Number(text));
        return true;
      }
      return false;
  }
}

function systemDark(): boolean {
  return typeof window !== 'undefined' && !!window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
}

/** The page's keyboard: one listener on the window, quiet while someone types in a field or the lab is hidden. */
export function useShortcuts(enabled = true): void {
  const store = useContext(LabStoreContext);
  useEffect(() => {
    if (!store || !enabled) return;
    const digits = { text: '', at: Number.NEGATIVE_INFINITY };
    const effectiveDark = () => {
      const theme = store.getState().ui.theme;
      return theme === 'dark' || (theme === 'system' && systemDark());
    };
    const onKey = (e: KeyboardEvent) => {
      if (handleShortcut(store, e, digits, effectiveDark)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, enabled]);
}
