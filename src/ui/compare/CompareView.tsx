import { useEffect, useMemo, useRef } from 'react';
import { protocolOf } from '../../sim/protocols';
import type { ProtocolMode } from '../../sim/types';
import { labCounters, type CompareCounters } from '../../store/compareCounters';
import { useCompare, useCompareActions } from '../../store/compareContext';
import { COMPARE_MODES, type ComparePane } from '../../store/compareStore';
import { LabStoreContext, useLab, useLabActions } from '../../store/context';
import { Icon } from '../controls/icons';
import { SpeedSlider } from '../controls/SimulationControls';
import { SpaceTimeDiagram } from '../diagram/SpaceTimeDiagram';
import { GraphView } from '../graph/GraphView';
import { ScenarioForm, scenarioLine } from './ScenarioForm';
import './compare.css';

const nameOf = (mode: ProtocolMode) => (mode === 'seed' ? 'Seed article' : protocolOf(mode).name);

/** Which protocols run side by side: two or three of them. */
function ProtocolChoice() {
  const modes = useCompare((s) => s.modes);
  const message = useCompare((s) => s.message);
  const { toggleMode } = useCompareActions();
  return (
    <fieldset className="compare-protocols">
      <legend>Protocols (2 or 3)</legend>
      {COMPARE_MODES.map((m) => (
        <label key={m}>
          <input type="checkbox" checked={modes.includes(m)} onChange={() => toggleMode(m)} />
          {nameOf(m)}
        </label>
      ))}
      {message && (
        <span className="compare-message" role="status">
          {message}
        </span>
      )}
    </fieldset>
  );
}

/** One remote for every run: they play, step and reset together, on one clock. */
function CompareTransport() {
  const playing = useCompare((s) => s.playing);
  const time = useCompare((s) => s.time);
  const speed = useCompare((s) => s.speed);
  const { play, pause, step, reset, setSpeed } = useCompareActions();
  return (
    <div className="compare-transport">
      <div className="playback" role="toolbar" aria-label="Compare playback">
        <button type="button" className="primary-action" onClick={play} disabled={playing}>
          <Icon name="play" />
          Play all
        </button>
        <button type="button" onClick={pause} disabled={!playing}>
          <Icon name="pause" />
          Pause
        </button>
        <button type="button" onClick={step} title="Every run to the next moment anything happens in any of them">
          <Icon name="step" />
          Step
        </button>
        <button type="button" className="aside" onClick={reset} title="Every run from t = 0 again">
          <Icon name="reset" />
          Reset
        </button>
      </div>
      <p className="compare-clock" aria-live="off">
        One clock: <strong>t = {time.toFixed(1)} ms</strong>
      </p>
      <SpeedSlider speed={speed} setSpeed={setSpeed} hint="Virtual milliseconds per real second, for every run" />
    </div>
  );
}

/**
 * What every run shares, said once, and changed here for all of them (the form opens under the line). It starts as the
 * visualizer's scenario and stays one with it: the address carries it.
 */
function SharedScenario() {
  const scenario = useCompare((s) => s.scenario);
  if (!scenario) return null;
  return (
    <details className="compare-scenario">
      <summary>
        Same scenario for all: {scenarioLine(scenario)}. <span className="compare-change">Change it</span>
      </summary>
      <ScenarioForm />
    </details>
  );
}

const fmt = (v: number | null, digits = 0) => (v === null ? '—' : v.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

/** The counters that tell the protocols apart, in the order a lecture reads them. */
function Counters({ c, label }: { c: CompareCounters; label: string }) {
  const rows: Array<[string, string, string]> = [
    ['Decisions', String(c.decisions), 'requests the client accepted'],
    ['Messages / decision', fmt(c.messagesPerDecision), 'every message sent, over the decisions'],
    ['Bytes / decision', fmt(c.bytesPerDecision), 'the README’s size model'],
    ['Round trips', c.hops === null ? '—' : `${fmt(c.hops / 2, 1)} (${c.hops} delays)`, 'message delays from the request to the reply that completed it, for the last decision'],
    ['Latency', c.meanLatencyMs === null ? '—' : `${fmt(c.meanLatencyMs, 1)} ms`, 'mean, request to acceptance'],
    ['View changes', String(c.viewChanges), 'views (rounds, in Tendermint) given up after a timeout'],
    ['Cost of view changes', c.viewChangeMs > 0 ? `${fmt(c.viewChangeMs)} ms, ${c.viewChangeMessages} msgs` : '—', 'from the first timer that ran out to the next decision'],
  ];
  return (
    <dl className="compare-counters" aria-label={`${label} counters`}>
      {rows.map(([name, value, hint]) => (
        <div key={name} title={hint}>
          <dt>{name}</dt>
          <dd data-counter={name}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function PaneCounters({ label }: { label: string }) {
  const run = useLab((s) => s.run);
  const live = useLab((s) => s.live);
  const scenario = useLab((s) => s.scenario);
  // The fold reads the run's buffers; a new `run` object (each batch) or moment is the cue to read them again.
  const c = useMemo(() => labCounters({ run, live, scenario }), [run, live, scenario]);
  return <Counters c={c} label={label} />;
}

function PaneError() {
  const error = useLab((s) => s.error);
  const { restart } = useLabActions();
  if (!error) return null;
  return (
    <p className="compare-error" role="alert">
      This run stopped: {error}{' '}
      <button type="button" className="small" onClick={restart}>
        Restart it
      </button>
    </p>
  );
}

/** One protocol's run: its counters, its graph and its space-time diagram, drawn by the visualizer's own views. */
function Pane({ pane }: { pane: ComparePane }) {
  const name = nameOf(pane.mode);
  const time = useCompare((s) => s.time);
  return (
    <LabStoreContext.Provider value={pane.store}>
      <section className="compare-pane" aria-label={name}>
        <h2>{name}</h2>
        {pane.note && <p className="compare-note">{pane.note}</p>}
        <PaneError />
        <PaneCounters label={name} />
        <div className="compare-views">
          <GraphView />
          <SpaceTimeDiagram until={time} />
        </div>
      </section>
    </LabStoreContext.Provider>
  );
}

/**
 * The Compare tab: the visualizer's scenario under two or three protocols, side by side on one clock. Mounting it
 * starts the runs (and pauses the visualizer's); unmounting it — leaving the tab — stops them.
 */
export function CompareView() {
  const scenario = useLab((s) => s.scenario);
  const { pause } = useLabActions();
  const { openWith, close } = useCompareActions();
  const panes = useCompare((s) => s.panes);
  const start = useRef(scenario);
  useEffect(() => {
    pause();
    // The scenario as it was when the tab opened; edits in the visualizer apply on the next visit.
    openWith(start.current);
    return close;
  }, [pause, openWith, close]);
  return (
    <main className="compare" aria-labelledby="compare-heading">
      <div className="compare-bar">
        <h2 id="compare-heading">Compare</h2>
        <ProtocolChoice />
        <CompareTransport />
      </div>
      <SharedScenario />
      <div className="compare-panes" style={{ gridTemplateColumns: `repeat(${Math.max(1, panes.length)}, minmax(0, 1fr))` }}>
        {panes.map((p) => (
          <Pane key={p.id} pane={p} />
        ))}
      </div>
    </main>
  );
}
