import { lazy, Suspense } from 'react';
import { useLab } from '../store/context';
import { PlaybackBar } from './controls/PlaybackBar';
import { SpeedControl } from './controls/SimulationControls';
import { Timeline } from './controls/Timeline';
import { FooledBanner, Notices, SafetyBanner, StallBanner } from './Banners';
import { HelpOverlay, useDocumentChrome } from './Chrome';
import { SpaceTimeDiagram } from './diagram/SpaceTimeDiagram';
import { ErrorBoundary, SimulationError } from './ErrorViews';
import { StepCaption } from './EventLog';
import { GraphView } from './graph/GraphView';
import { Legend } from './graph/Legend';
import { Header } from './Header';
import { useShortcuts } from './shortcuts';
import { useDock } from './stage/dock';
import { Drawers } from './stage/Drawers';
import { CompareView } from './compare/CompareView';
import { ExperimentsView } from './experiments/ExperimentsView';
import { useAppView } from './experiments/views';

/** Predict mode's panel, loaded the first time Predict is turned on (src/store/predictSlice.ts loads its questions). */
const PredictPanel = lazy(() => import('./predict/PredictPanel').then((m) => ({ default: m.PredictPanel })));

/**
 * The stage: the graph and the space-time diagram own the screen, under the playback bar and the caption; everything
 * else opens in drawers beside it or over it (stage/Drawers.tsx). Embedded (`?embed=1`) it is the stage and the
 * playback bar alone.
 */
export function App() {
  const restart = useLab((s) => s.actions.restart);
  const embed = useLab((s) => s.ui.embed);
  const hashView = useAppView();
  const view = embed ? 'visualizer' : hashView;
  const drawerOpen = useLab((s) => s.ui.drawer !== null);
  const predicting = useLab((s) => s.predict.on && s.predict.ready);
  useShortcuts(view === 'visualizer');
  useDocumentChrome();
  const dock = useDock();
  return (
    <div className={`app${embed ? ' embed' : ''}`}>
      {!embed && <Header view={view} />}
      <SimulationError />
      {!embed && <Notices />}
      <ErrorBoundary onRestart={restart}>
        <main className={`stage-layout${drawerOpen && !embed ? ' drawer-open' : ''}`} hidden={view !== 'visualizer'}>
          <section className="stage" aria-label="Protocol">
            <div className="transport">
              <PlaybackBar />
              <div className="time-row">
                <Timeline />
                <SpeedControl />
              </div>
            </div>
            <StepCaption />
            {predicting && (
              <Suspense fallback={null}>
                <PredictPanel />
              </Suspense>
            )}
            <SafetyBanner />
            <FooledBanner />
            <StallBanner />
            <div className="views">
              <GraphView />
              <SpaceTimeDiagram />
            </div>
            {/* One legend for both views: the colours, marks and rings mean the same in each. */}
            <Legend />
          </section>
          {!embed && <Drawers mode={dock} />}
        </main>
      </ErrorBoundary>
      {/* Mounted only while its tab is shown: its runs (a worker each) live as long as it does. */}
      {!embed && view === 'compare' && <CompareView />}
      {!embed && <ExperimentsView active={view === 'experiments'} />}
      <HelpOverlay />
    </div>
  );
}
