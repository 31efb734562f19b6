import { useLab } from '../store/context';
import { AdversaryControls } from './controls/AdversaryControls';
import { PlaybackBar } from './controls/PlaybackBar';
import { NetworkControls, RunControls, SpeedControl } from './controls/SimulationControls';
import { ErrorBoundary, SimulationError } from './ErrorViews';
import { EventLog, StepCaption } from './EventLog';
import { Legend } from './graph/Legend';
import { ReplicaGraph } from './graph/ReplicaGraph';
import { Header } from './Header';
import { StatusPanel } from './StatusPanel';

export function App() {
  const restart = useLab((s) => s.actions.restart);
  return (
    <div className="app">
      <Header />
      <SimulationError />
      <ErrorBoundary onRestart={restart}>
        <main className="stage">
          <section className="stage-main" aria-label="Protocol">
            <PlaybackBar />
            <StepCaption />
            <ReplicaGraph />
            <Legend />
          </section>
          <aside className="sidebar">
            <section className="panel controls" aria-labelledby="controls-heading">
              <h2 id="controls-heading">Scenario</h2>
              <RunControls />
              <SpeedControl />
              <NetworkControls />
              <AdversaryControls />
            </section>
            <StatusPanel />
            <EventLog />
          </aside>
        </main>
      </ErrorBoundary>
    </div>
  );
}
