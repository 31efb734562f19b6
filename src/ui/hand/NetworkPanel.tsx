import { useEffect, useMemo, useRef, useState } from 'react';
import type { MessageType, NodeId } from '../../sim/types';
import { useLab, useLabActions } from '../../store/context';
import { endName, nodeName, timerName, typeLabel } from '../../store/describe';
import { handOnScreen, type HandOnScreen, type WaitingMessage } from '../../store/handSlice';
import { useAnsweredSwitch } from '../useAnsweredSwitch';
import './hand.css';

/** A message as a row names it: "PREPARE 1 → 2 (view 0, #1)"; "PREPARE 1′ → 2 …" from the second instance of twin 1. */
export function waitingName(m: Pick<WaitingMessage, 'type' | 'from' | 'to' | 'view' | 'seq' | 'fromTwin' | 'toTwin'>): string {
  return `${typeLabel(m.type)} ${endName(m.from, m.fromTwin)} → ${endName(m.to, m.toTwin)} (view ${m.view}, #${m.seq})`;
}

/** The digest in short (what PRE-PREPARE, PREPARE and COMMIT agree on); a dash where the type carries none. */
function shortDigest(d: string): string {
  return d ? d.slice(0, 6) : '—';
}

/**
 * You are the network: the "Deliver by hand" switch, every message waiting in flight with Deliver, Drop and Duplicate,
 * the timers that wait with Fire timer, and filters for a quick classroom attack. Every button is an intervention at the
 * moment on screen (src/store/handSlice.ts).
 */
export function NetworkPanel() {
  // What waits, as a string that compares by value: the panel redraws when that changes, not on every batch, and a
  // closed drawer costs nothing.
  const key = useLab((s) => (s.ui.drawer === 'network' ? JSON.stringify(handOnScreen(s)) : ''));
  const waiting = useMemo<HandOnScreen>(() => (key ? (JSON.parse(key) as HandOnScreen) : { on: false, held: [], messages: [], timers: null }), [key]);
  const following = useLab((s) => s.following);
  const selected = useLab((s) => s.selection.message);
  const n = useLab((s) => s.timeline.n || s.run.n);
  const scenario = useLab((s) => s.run.scenario ?? s.scenario);
  const twins = scenario.twins?.replicas ?? [];
  const a = useLabActions();
  const [replica, setReplica] = useState(0);
  const [phase, setPhase] = useState<MessageType | ''>('');
  const k = Math.min(replica, Math.max(0, n - 1));
  const types = [...new Set(waiting.messages.map((m) => m.type))];
  const chosenType = phase && types.includes(phase) ? phase : (types[0] ?? '');
  const toK = waiting.messages.filter((m) => m.to === k).length;
  const ofType = waiting.messages.filter((m) => m.type === chosenType).length;
  const [byHand, askByHand] = useAnsweredSwitch(waiting.on);
  const [held, askHeld] = useAnsweredSwitch(waiting.held.includes(k), k);

  const rows = useRef<HTMLTableSectionElement>(null);
  useEffect(() => {
    // A dot clicked in the graph (or an arrow in the diagram) brings its row into view.
    if (selected === null) return;
    rows.current?.querySelector<HTMLElement>(`[data-message="${selected}"]`)?.scrollIntoView?.({ block: 'nearest' });
  }, [selected]);

  return (
    <section className="panel network-panel" aria-labelledby="network-heading">
      <h2 id="network-heading">Network</h2>
      <label className="hand-switch">
        <input
          type="checkbox"
          role="switch"
          checked={byHand}
          aria-checked={byHand}
          onChange={(e) => {
            askByHand(e.currentTarget.checked);
            a.setDeliverByHand(e.currentTarget.checked);
          }}
        />
        <span>Deliver by hand</span>
      </label>
      <p className="hint">
        {waiting.on
          ? 'You are the network: every message waits in flight and every timer waits until you deliver, drop, duplicate or fire it. Back undoes a choice.'
          : 'On, nothing arrives by itself: you choose what each replica receives, and when. Off again, what waits goes back to the network.'}
        {!following && ' You are looking at the past: a choice here replaces what came after this moment.'}
      </p>

      <div className="hand-filters" role="group" aria-label="Filters">
        <label>
          Replica{' '}
          <select value={k} onChange={(e) => setReplica(Number(e.currentTarget.value))} aria-label="Replica for the filters">
            {Array.from({ length: n }, (_, id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="small" disabled={toK === 0} onClick={() => a.deliverTo(k)}>
          Deliver everything to replica {k}
          {toK > 0 ? ` (${toK})` : ''}
        </button>
        <label className="hand-hold">
          <input
            type="checkbox"
            checked={held}
            onChange={(e) => {
              askHeld(e.currentTarget.checked);
              a.holdFrom(k, e.currentTarget.checked);
            }}
          />
          Hold everything from replica {k}
        </label>
        <label>
          Phase{' '}
          <select value={chosenType} disabled={types.length === 0} onChange={(e) => setPhase(e.currentTarget.value as MessageType)} aria-label="Phase to deliver">
            {types.length === 0 && <option value="">none waiting</option>}
            {types.map((t) => (
              <option key={t} value={t}>
                {typeLabel(t)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="small" disabled={ofType === 0 || !chosenType} onClick={() => chosenType && a.deliverType(chosenType)}>
          Deliver all of this phase{ofType > 0 ? ` (${ofType})` : ''}
        </button>
      </div>
      {waiting.held.length > 0 && <p className="hint">Holding everything from {waiting.held.map(nodeName).join(', ')}.</p>}

      <h3 id="in-flight-heading">
        Messages in flight <span className="count">({waiting.messages.length})</span>
      </h3>
      {waiting.messages.length === 0 ? (
        <p className="hint">{waiting.on || waiting.held.length > 0 ? 'Nothing waits in flight.' : 'Turn on Deliver by hand (or hold a replica) and messages wait here.'}</p>
      ) : (
        <div className="hand-table-wrap">
          <table className="hand-table" aria-labelledby="in-flight-heading">
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">From → to</th>
                <th scope="col">View</th>
                <th scope="col">#</th>
                <th scope="col">Digest</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody ref={rows}>
              {waiting.messages.map((m) => {
                const name = waitingName(m);
                const isSelected = m.id === selected;
                return (
                  <tr key={m.id} data-message={m.id} className={isSelected ? 'selected' : undefined} aria-current={isSelected ? 'true' : undefined} onClick={() => a.selectMessage(m.id)}>
                    <th scope="row" className={`msg-type msg-${m.type.toLowerCase()}`}>
                      {typeLabel(m.type)}
                    </th>
                    <td>
                      <End id={m.from} twin={m.fromTwin} /> → <End id={m.to} twin={m.toTwin} />
                    </td>
                    <td>{m.view}</td>
                    <td>{m.seq}</td>
                    <td>
                      <code>{shortDigest(m.digest)}</code>
                    </td>
                    <td className="hand-actions">
                      <button type="button" className="small" aria-label={`Deliver ${name}`} onClick={() => a.deliverMessage(m.id)} onFocus={() => a.selectMessage(m.id)}>
                        Deliver
                      </button>
                      <button type="button" className="small" aria-label={`Drop ${name}`} onClick={() => a.dropMessage(m.id)} onFocus={() => a.selectMessage(m.id)}>
                        Drop
                      </button>
                      <button type="button" className="small" aria-label={`Duplicate ${name}`} onClick={() => a.duplicateMessage(m.id)} onFocus={() => a.selectMessage(m.id)}>
                        Duplicate
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      {twins.length > 0 && (
        <p className="hint">
          {twins.map((id) => endName(id, true)).join(', ')}{' '}
          {twins.length === 1 ? `is the second instance of replica ${twins[0]}` : `are the second instances of replicas ${twins.join(', ')}`} (Twins): the same
          identity and keys, running honest code, talking to another part of the network.
        </p>
      )}

      <h3>Timers</h3>
      {waiting.timers === null ? (
        <p className="hint">Timers that wait are listed at the newest moment (press Live).</p>
      ) : waiting.timers.length === 0 ? (
        <p className="hint">{waiting.on ? 'No timer waits.' : 'Timers run by the clock.'}</p>
      ) : (
        <ul className="hand-timers">
          {waiting.timers.map((t) => (
            <li key={`${t.replica}|${t.timer}`}>
              {timerName(t, scenario)}, due t={t.deadline.toFixed(1)}{' '}
              <button type="button" className="small" aria-label={`Fire timer: ${timerName(t, scenario)}`} onClick={() => a.fireTimer(t.replica, t.timer)}>
                Fire timer
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** One end of a row's message; a twin's second instance is marked (1′) and titled, so it is never taken for replica 1. */
function End({ id, twin }: { id: NodeId; twin?: boolean }) {
  if (!twin) return <>{endName(id)}</>;
  return (
    <abbr className="twin-end" title={`replica ${id}’s twin (its second instance)`}>
      {endName(id, true)}
    </abbr>
  );
}
