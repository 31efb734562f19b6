import { replicaCount } from '../sim/scenario';
import { useLab } from '../store/context';
import { DisplayControls } from './Chrome';
import { ViewTabs, type AppView } from './experiments/views';
import { LessonPicker } from './Lessons';

/**
 * One slim row over the stage: the name, m malicious against the f the protocol tolerates (the one number a lecture
 * keeps coming back to), the lesson, the two views, and the display controls. Sharing and saving live in a drawer.
 */
export function Header({ view }: { view: AppView }) {
  const f = useLab((s) => s.scenario.f);
  const n = replicaCount({ f });
  const m = useLab((s) => Object.keys(s.scenario.malicious).filter((id) => Number(id) < n).length);
  return (
    <header className="app-header">
      <h1>PBFT Lab</h1>
      {/* A status, so clicking a replica is announced as the new count. */}
      <p className={`fault-budget ${m > f ? 'over' : ''}`} role="status">
        <strong>{m}</strong> malicious / <strong>{f}</strong> tolerated
      </p>
      <span className="n-note">n = {n}</span>
      {m > f && (
        <p className="warning" role="alert">
          <span aria-hidden="true">⚠ </span>m &gt; f: safety is no longer guaranteed
        </p>
      )}
      <div className="header-tools">
        <LessonPicker />
        <ViewTabs view={view} />
        <DisplayControls />
      </div>
    </header>
  );
}
