import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useLab, useLabActions } from '../../store/context';
import type { DrawerId } from '../../store/labStore';
import { lessonById } from '../../store/lessons';
import { WaitingNote } from '../Banners';
import { AdversaryControls } from '../controls/AdversaryControls';
import { Icon, type IconName } from '../controls/icons';
import { NetworkFaults } from '../controls/NetworkFaults';
import { NetworkControls, RunControls } from '../controls/SimulationControls';
import { EventLog } from '../EventLog';
import { AttackPanel } from '../attack/AttackPanel';
import { NetworkPanel } from '../hand/NetworkPanel';
import { ReplicaInspector } from '../inspector/ReplicaInspector';
import { LessonPanel } from '../Lessons';
import { RunFiles } from '../RunFiles';
import { StatusPanel } from '../StatusPanel';
import type { DockMode } from './dock';

/** The drawers, in the rail's order: a short name on the rail, and what each holds. */
const DRAWER_LIST: ReadonlyArray<{ id: DrawerId; label: string; icon: IconName; what: string }> = [
  { id: 'status', label: 'Status', icon: 'status', what: 'Counters, why the client waits, the event log' },
  { id: 'scenario', label: 'Scenario', icon: 'scenario', what: 'f, seed, network and adversary' },
  { id: 'network', label: 'Network', icon: 'network', what: 'Deliver by hand: you are the network' },
  { id: 'attack', label: 'Attack', icon: 'attack', what: 'Find an attack: the machine searches for a schedule that breaks PBFT' },
  { id: 'inspector', label: 'Inspector', icon: 'inspector', what: 'One replica from the inside' },
  { id: 'lesson', label: 'Lesson', icon: 'lesson', what: 'The lesson’s explanation' },
  { id: 'share', label: 'Share', icon: 'share', what: 'Copy link, export and import a run' },
];

const panelId = (id: DrawerId) => `drawer-${id}`;

/** The rail of drawer buttons at the stage's right edge: each opens its drawer, or closes it when it is open. */
function Rail() {
  const open = useLab((s) => s.ui.drawer);
  const lesson = useLab((s) => s.preset !== null);
  const { toggleDrawer } = useLabActions();
  return (
    <nav className="rail" aria-label="Drawers">
      {DRAWER_LIST.map((d) => (
        <button
          key={d.id}
          type="button"
          className={`rail-button${open === d.id ? ' open' : ''}${d.id === 'lesson' && !lesson ? ' quiet' : ''}`}
          aria-expanded={open === d.id}
          aria-controls={panelId(d.id)}
          title={d.what}
          onClick={() => toggleDrawer(d.id)}
        >
          <Icon name={d.icon} />
          <span>{d.label}</span>
        </button>
      ))}
    </nav>
  );
}

function NoLesson() {
  const lesson = useLab((s) => lessonById(s.preset));
  if (lesson) return null;
  return (
    <section className="panel lesson" aria-labelledby="no-lesson-heading">
      <h2 id="no-lesson-heading">Lesson</h2>
      <p className="hint">No lesson is loaded. Choose one from the Lesson menu at the top: its scenario loads and its explanation appears here.</p>
    </section>
  );
}

/** One drawer's content: always mounted (a hidden one keeps its state and its counters), shown when open. */
function Drawer({ id, open, children }: { id: DrawerId; open: boolean; children: ReactNode }) {
  return (
    <div id={panelId(id)} className={`drawer-content drawer-${id}`} hidden={!open}>
      {children}
    </div>
  );
}

/**
 * Everything that is not the picture — the run's status and log, the scenario, the inspector, the lesson, sharing —
 * in drawers: beside the stage on a wide screen, over its right side on a narrow one or in presentation mode
 * (dock.ts). Esc in a drawer, or its close button, closes it and gives the focus back to its rail button.
 */
export function Drawers({ mode }: { mode: DockMode }) {
  const open = useLab((s) => s.ui.drawer);
  const { setDrawer } = useLabActions();
  const aside = useRef<HTMLElement>(null);
  const close = () => {
    const was = open;
    setDrawer(null);
    if (was) document.querySelector<HTMLElement>(`.rail [aria-controls="${panelId(was)}"]`)?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    e.stopPropagation();
    close();
  };
  const title = DRAWER_LIST.find((d) => d.id === open)?.label ?? '';
  return (
    <>
      <Rail />
      <aside ref={aside} className={`drawer drawer-${mode}`} hidden={open === null} aria-label={`${title} drawer`} onKeyDown={onKeyDown}>
        <button type="button" className="drawer-close small" onClick={close} aria-label={`Close the ${title.toLowerCase()} drawer`} title="Close (Esc)">
          <Icon name="close" />
        </button>
        <Drawer id="status" open={open === 'status'}>
          <StatusPanel />
          <WaitingNote />
          <EventLog />
        </Drawer>
        <Drawer id="scenario" open={open === 'scenario'}>
          <section className="panel controls" aria-labelledby="controls-heading">
            <h2 id="controls-heading">Scenario</h2>
            <RunControls />
            <NetworkControls />
            <NetworkFaults />
            <AdversaryControls />
          </section>
        </Drawer>
        <Drawer id="network" open={open === 'network'}>
          <NetworkPanel />
        </Drawer>
        <Drawer id="attack" open={open === 'attack'}>
          <AttackPanel />
        </Drawer>
        <Drawer id="inspector" open={open === 'inspector'}>
          <ReplicaInspector />
        </Drawer>
        <Drawer id="lesson" open={open === 'lesson'}>
          <LessonPanel />
          <NoLesson />
        </Drawer>
        <Drawer id="share" open={open === 'share'}>
          <section className="panel share" aria-labelledby="share-heading">
            <h2 id="share-heading">Share and save</h2>
            <RunFiles />
            <p className="hint">
              The link holds the whole scenario. Export saves the run (scenario, your actions and the trace) as a file; Import loads one back. Each view’s
              Export menu saves its picture as SVG or PNG for slides.
            </p>
          </section>
        </Drawer>
      </aside>
    </>
  );
}
