import { protocolOf } from '../../sim/protocols';
import { lazy, Suspense, useContext, useEffect, useMemo, useState, type MouseEvent } from 'react';
import { LabStoreContext, useLab, useLabActions } from '../../store/context';
import { MAX_EVENTS_PER_BATCH } from '../../store/pacing';
import { formatSpeed } from '../controls/speedScale';
import { thinningNote } from '../../store/thinning';
import { SVG_MESSAGE_LIMIT } from '../drawingRules';
import { CanvasMessageLayer, DOT_HIT_PX, graphStrides, messageAt, paintedSample, toLayout } from './CanvasMessageLayer';
import { ClientNode } from './ClientNode';
import { Edges } from './Edges';
import { NetworkMarks, PartitionShading, useNetworkOnScreen } from './NetworkLayer';
import { DrawingSurface, LinkMenu, type MenuAnchor } from './NetworkTools';
import { graphLayout, type GraphLayout } from './layout';
import { MessageLayer } from './MessageLayer';
import { ReplicaNode } from './ReplicaNode';
import { SelectedMessage } from './SelectedMessage';
import { TimerLayer, ViewBadge } from './TimerLayer';

/** Predict mode's answer targets and verdict marks: loaded with Predict mode (src/ui/predict/). */
const PredictMarks = lazy(() => import('../predict/PredictMarks').then((m) => ({ default: m.PredictMarks })));

/** Whether the graph paints its messages on a canvas (compact rings, or too many in flight for SVG elements). */
export function graphPainted(layout: GraphLayout, inFlight: number): boolean {
  return layout.detail !== 'full' || inFlight > SVG_MESSAGE_LIMIT;
}

/** The ring of replicas, the client, and the messages between them. */
export function ReplicaGraph() {
  const n = useLab((s) => s.timeline.n);
  const phaseNames = protocolOf(useLab((s) => s.scenario.mode)).phaseNames;
  const replicas = useLab((s) => s.timeline.replicas);
  const accepted = useLab((s) => s.timeline.stats?.committed ?? 0);
  const crowded = useLab((s) => s.timeline.inFlight.size > SVG_MESSAGE_LIMIT);
  const selected = useLab((s) => s.selection.replica);
  const offenders = useLab((s) => s.timeline.stats?.violations[0]?.replicas);
  const clickInspects = useLab((s) => s.ui.replicaClick === 'inspect');
  const predicting = useLab((s) => s.predict.on && s.predict.ready);
  const { toggleMalicious, selectReplica } = useLabActions();
  const layout = useMemo(() => graphLayout(n), [n]);
  const tools = useLab((s) => s.partitionUi.tools);
  const network = useNetworkOnScreen();
  const [menuAt, setMenuAt] = useState<MenuAnchor | null>(null);
  const painted = graphPainted(layout, crowded ? SVG_MESSAGE_LIMIT + 1 : 0);
  const store = useContext(LabStoreContext);
  const { pickMessage } = useLabActions();
  // Painted dots have no elements to click: a click on the graph picks the nearest one under the pointer, as an SVG
  // dot's own click does (its row in the Network panel, its arrow in the diagram). Nodes keep their own clicks.
  const onPaintedClick = (e: MouseEvent<SVGSVGElement>) => {
    if (!store || (e.target as Element).closest('.replicas, .client, .timers')) return;
    const { timeline } = store.getState();
    const at = toLayout(layout, e.currentTarget.getBoundingClientRect(), e.clientX, e.clientY);
    const id = messageAt(layout, paintedSample(timeline.inFlight), timeline.now, at.x, at.y, Math.max(2 * layout.dotRadius, DOT_HIT_PX / at.scale));
    if (id !== null) pickMessage(id);
  };

  return (
    <div className="graph-frame">
      {painted && <CanvasMessageLayer layout={layout} />}
      <svg
        className={`graph${tools ? ' drawing-on' : ''}`}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        preserveAspectRatio="xMidYMid meet"
        role="group"
        aria-label={`${n} replicas and the client`}
        onClick={painted && !tools ? onPaintedClick : undefined}
      >
        <ViewBadge />
        <PartitionShading layout={layout} network={network} />
        <Edges layout={layout} />
        <NetworkMarks layout={layout} network={network} />
        <SelectedMessage layout={layout} />
        {/* Messages pass under the nodes, so they visibly leave and enter them. */}
        {!painted && <MessageLayer layout={layout} />}
        <ClientNode position={layout.client} accepted={accepted} />
        <g className="replicas">
          {replicas.map((r) => {
            const position = layout.replicas[r.id];
            if (!position) return null;
            return (
              <ReplicaNode
                key={r.id}
                replica={r}
                position={position}
                radius={layout.nodeRadius}
                detail={layout.detail}
                selected={selected === r.id}
                offending={offenders?.includes(r.id) ?? false}
                clickInspects={clickInspects}
                onToggleMalicious={toggleMalicious}
                onSelect={selectReplica}
                phaseNames={phaseNames}
              />
            );
          })}
        </g>
        <TimerLayer layout={layout} />
        {tools && <DrawingSurface layout={layout} onWire={setMenuAt} />}
        {/* Predict mode's answer targets and verdict marks, over the replicas (src/ui/predict/). */}
        {predicting && (
          <Suspense fallback={null}>
            <PredictMarks layout={layout} />
          </Suspense>
        )}
      </svg>
      {tools && menuAt && <LinkMenu anchor={menuAt} onClose={() => setMenuAt(null)} />}
      <div className="graph-notes">
        <PacingNote />
        {painted && <GraphThinningNote n={n} />}
      </div>
    </div>
  );
}

/** How long (real ms) the page watches virtual time before it says the run is slower than the chosen speed. */
const PACING_WINDOW_MS = 1500;

/**
 * Says when the run plays slower than the Speed slider asks: the worker sends at most MAX_EVENTS_PER_BATCH events a
 * batch, a batch every other frame, and never covers more than a slice of real time per batch (the pacing rule,
 * worker/pacing.ts), so a crowded run or a busy page slows the run down rather than freezing the page or skipping ahead.
 */
function PacingNote() {
  const store = useContext(LabStoreContext);
  const [ratio, setRatio] = useState(1);
  useEffect(() => {
    if (!store) return;
    let samples: Array<{ real: number; virtual: number; generation: number }> = [];
    const timer = setInterval(() => {
      const { timeline, playback, following } = store.getState();
      if (!playback.playing || !following) {
        samples = [];
        setRatio(1);
        return;
      }
      const real = performance.now();
      samples.push({ real, virtual: timeline.now, generation: timeline.generation });
      samples = samples.filter((x) => real - x.real <= PACING_WINDOW_MS && x.generation === timeline.generation);
      const first = samples[0];
      if (real - first.real < PACING_WINDOW_MS * 0.6) return;
      const expected = (playback.speed * (real - first.real)) / 1000;
      setRatio(expected > 0 ? Math.min(1, (timeline.now - first.virtual) / expected) : 1);
    }, 250);
    return () => clearInterval(timer);
  }, [store]);
  const speed = useLab((s) => s.playback.speed);
  if (ratio >= 0.75) return null;
  return (
    <p className="graph-note">
      Running at about {Math.max(1, Math.round(ratio * 100))} % of the chosen speed ({formatSpeed(speed)}): the run slows down rather than
      skip frames (at most {MAX_EVENTS_PER_BATCH.toLocaleString('en-US')} events every other frame).
    </p>
  );
}

/** Says when the canvas shows a sample of the messages in flight (the canvas draws by the same rule). */
function GraphThinningNote({ n }: { n: number }) {
  const inFlight = useLab((s) => s.timeline.inFlight);
  const note = useMemo(() => thinningNote(graphStrides(inFlight), n), [inFlight, n]);
  return note ? <p className="graph-note">{note}</p> : null;
}
