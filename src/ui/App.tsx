import { useLab } from '../store/context';
import { AdversaryControls } from './controls/AdversaryControls';
import { PlaybackBar } from './controls/PlaybackBar';
import { NetworkControls, RunControls, SpeedControl } from './controls/SimulationControls';
import { Timeline } from './controls/Timeline';
import { Notices, SafetyBanner, WaitingNote } from './Banners';
import { HelpOverlay, useDocumentChrome } from './Chrome';
import { SpaceTimeDiagram } from './diagram/SpaceTimeDiagram';
import { ErrorBoundary, SimulationError } from './ErrorViews';
import { EventLog, StepCaption } from './EventLog';
import { Legend } from './graph/Legend';
import { ReplicaGraph } from './graph/ReplicaGraph';
import { Header } from './Header';
import { ReplicaInspector } from './inspector/ReplicaInspector';
import { LessonPanel } from './Lessons';
import { useShortcuts } from './shortcuts';
import { StatusPanel } from './StatusPanel';
import { ExperimentsView } from './experiments/ExperimentsView';
import { useAppView, ViewTabs } from './experiments/views';

export function App() {
  const restart = useLab((s) => s.actions.restart);
  const view = useAppView();
  useShortcuts(view === 'visualizer');
  useDocumentChrome();
  return (
    <div className="app">
      <Header />
      <ViewTabs view={view} />
      <SimulationError />
      <Notices />
      <ErrorBoundary onRestart={restart}>
        <main className="stage" hidden={view !== 'visualizer'}>
          <section className="stage-main" aria-label="Protocol">
            <PlaybackBar />
            <Timeline />
            <StepCaption />
            <SafetyBanner />
            <div className="views">
              <div className="graph-column">
                <ReplicaGraph />
                <Legend />
              </div>
              <SpaceTimeDiagram />
            </div>
          </section>
          <aside className="sidebar">
            <LessonPanel />
            <StatusPanel />
            <WaitingNote />
            <ReplicaInspector />
            <section className="panel controls" aria-labelledby="controls-heading">
              <h2 id="controls-heading">Scenario</h2>
              <RunControls />
              <SpeedControl />
              <NetworkControls />
              <AdversaryControls />
            </section>
            <EventLog />
          </aside>
        </main>
      </ErrorBoundary>
      <ExperimentsView active={view === 'experiments'} />
      <HelpOverlay />
    </div>
  );
}
