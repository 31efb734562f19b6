import { useContext, useId, useRef } from 'react';
import { LabStoreContext, useLab, useLabActions } from '../../store/context';
import type { ReplicaClick } from '../../store/labStore';
import type { PictureFormat } from '../export/diagramExport';
import { ExportMenu } from '../stage/ExportMenu';
import { dotAt, paintedSample } from './CanvasMessageLayer';
import { graphLayout } from './layout';
import { HealButton, NetworkDialog, NetworkToolsBar, NetworkToolsToggle } from './NetworkTools';
import { graphPainted, ReplicaGraph } from './ReplicaGraph';

const CLICK_MODES: ReadonlyArray<{ mode: ReplicaClick; label: string; hint: string }> = [
  { mode: 'malicious', label: 'Malicious', hint: 'A click or tap on a replica makes it malicious, or honest again (Shift-click inspects)' },
  { mode: 'inspect', label: 'Inspect', hint: 'A click or tap on a replica opens it in the inspector' },
];

/**
 * What a click — or a tap, where there is no Shift key — on a replica does: toggle it malicious, or inspect it.
 * Two radio buttons drawn as one segmented switch.
 */
function ReplicaClickMode() {
  const mode = useLab((s) => s.ui.replicaClick);
  const { setReplicaClick } = useLabActions();
  const name = useId();
  return (
    <div className="segmented" role="radiogroup" aria-label="A click on a replica">
      <span className="segmented-label" aria-hidden="true">
        Click:
      </span>
      {CLICK_MODES.map((m) => (
        <label key={m.mode} title={m.hint} className={mode === m.mode ? 'chosen' : ''}>
          <input type="radio" name={name} value={m.mode} checked={mode === m.mode} onChange={() => setReplicaClick(m.mode)} />
          <span>{m.label}</span>
        </label>
      ))}
    </div>
  );
}

/** The graph view: its toolbar (what a click does, Export) and the ring of replicas. */
export function GraphView() {
  const store = useContext(LabStoreContext);
  const embed = useLab((s) => s.ui.embed);
  const tools = useLab((s) => s.partitionUi.tools);
  const frame = useRef<HTMLElement>(null);
  // Unique: the Compare view draws one graph per protocol on the same page.
  const headingId = useId();
  const onExport = async (format: PictureFormat) => {
    const svg = frame.current?.querySelector<SVGSVGElement>('svg.graph');
    if (!store || !svg) throw new Error('The graph is not drawn.');
    const { timeline, scenario } = store.getState();
    const layout = graphLayout(timeline.n);
    const dots = graphPainted(layout, timeline.inFlight.size)
      ? paintedSample(timeline.inFlight).flatMap((m) => {
          const at = dotAt(layout, m, timeline.now);
          return at ? [{ ...at, r: layout.dotRadius, type: m.type }] : [];
        })
      : [];
    // Loaded when first asked for: few visits export a picture, and the first paint need not wait for the code.
    const { exportGraph } = await import('../export/graphExport');
    await exportGraph({ svg, dots, n: timeline.n, f: timeline.f, seed: scenario.seed, mode: scenario.mode, now: timeline.now }, format);
  };
  return (
    <section className="view graph-view panel" aria-labelledby={headingId} ref={frame}>
      {!embed && (
        <div className="view-head">
          <h2 id={headingId}>Replicas</h2>
          <HealButton />
          <NetworkToolsToggle />
          <ReplicaClickMode />
          <ExportMenu what="graph" onExport={onExport} />
        </div>
      )}
      {!embed && tools && <NetworkToolsBar />}
      {embed && (
        <h2 id={headingId} className="visually-hidden">
          Replicas
        </h2>
      )}
      <ReplicaGraph />
      {!embed && <NetworkDialog />}
    </section>
  );
}
