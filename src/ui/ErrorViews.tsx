import { Component, createRef, useEffect, useRef, type ErrorInfo, type ReactNode } from 'react';
import { useLab, useLabActions } from '../store/context';
import { disarmRenderFault } from './faults';

/** The simulation threw: say so, keep the page, and offer a clean restart of the same scenario. */
export function SimulationError() {
  const error = useLab((s) => s.error);
  const { restart } = useLabActions();
  const action = useRef<HTMLButtonElement>(null);
  const failed = error !== null;
  // The playback buttons are disabled now: the keyboard goes straight to the way out.
  useEffect(() => {
    if (failed) action.current?.focus();
  }, [failed]);
  if (error === null) return null;
  return (
    <div className="error-banner" role="alert">
      <p>
        <strong>The simulation stopped:</strong> {error}
      </p>
      <button ref={action} type="button" onClick={restart}>
        Restart from this scenario
      </button>
    </div>
  );
}

interface BoundaryProps {
  onRestart(): void;
  children: ReactNode;
}

/** A rendering bug must never leave a white page in front of a classroom. */
export class ErrorBoundary extends Component<BoundaryProps, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };
  private readonly action = createRef<HTMLButtonElement>();

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.warn('PBFT Lab view failed', error, info.componentStack);
    // What had focus is gone with the view: the keyboard goes to the way out.
    this.action.current?.focus();
  }

  override render() {
    if (this.state.error) {
      return (
        <div className="error-banner" role="alert">
          <p>
            <strong>The view failed:</strong> {this.state.error.message}
          </p>
          <button
            ref={this.action}
            type="button"
            onClick={() => {
              disarmRenderFault();
              this.props.onRestart();
              this.setState({ error: null });
            }}
          >
            Restart from this scenario
          </button>
        </div>
      );
    }
    return this.props.children;
  }
}
