import { useId } from 'react';
import { messageWords, protocolOf, type ProtocolDescriptor } from '../../sim/protocols';
import { BEHAVIOUR_DESCRIPTIONS } from '../../sim/scenario';
import type { NodeId, ReplicaInspection, SlotInspection } from '../../sim/types';
import { formatTime } from '../../store/describe';
import { useLab, useLabActions } from '../../store/context';

/** A vote count against its quorum, as a bar and in words ("PREPARE 1 of 2f = 2"). */
function Votes({ label, count, quorum, formula }: { label: string; count: number; quorum: number; formula: string }) {
  const text = `${label} ${count} of ${formula} = ${quorum}`;
  return (
    <div className={`votes ${count >= quorum ? 'met' : ''}`}>
      <meter min={0} max={Math.max(1, quorum)} value={Math.min(count, quorum)} aria-label={text} />
      <span>{text}</span>
    </div>
  );
}

/** "0, 1 and 3": replicas as a sentence lists them. */
function replicaList(ids: readonly NodeId[]): string {
  if (ids.length === 0) return 'nobody';
  return ids.length === 1 ? String(ids[0]) : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1)}`;
}

/**
 * Who signed what it holds for a slot: the proposal's sender (PBFT's PRE-PREPARE, HotStuff's PREPARE, Tendermint's
 * PROPOSAL) and the signers of the votes it counts first — for a prepared PBFT slot, the certificate a VIEW-CHANGE
 * would carry (the seed signs nothing: it lists the voters it counted).
 */
function Proof({ slot, protocol }: { slot: SlotInspection; protocol: ProtocolDescriptor }) {
  if (slot.proposer === null && slot.prepareSigners.length === 0) return null;
  const prepares = messageWords(protocol.quorums.prepared.votes).label;
  return (
    <p className="proof">
      {slot.proposer !== null && (
        <>
          {messageWords(protocol.proposal).label} from replica {slot.proposer};{' '}
        </>
      )}
      {prepares}s signed by {slot.prepareSigners.length === 1 ? 'replica' : 'replicas'} {replicaList(slot.prepareSigners)}
    </p>
  );
}

/** The votes a slot holds against its protocol's certificates: PBFT's prepared needs 2f PREPAREs, the seed's 2f+1. */
function Slot({ slot, f, protocol }: { slot: SlotInspection; f: number; protocol: ProtocolDescriptor }) {
  const { prepared, committed } = protocol.quorums;
  return (
    <li className={`slot phase-${slot.phase ?? 'none'}`}>
      <div className="slot-head">
        <strong>#{slot.seq}</strong>
        <span>{slot.phase ? protocol.phaseNames[slot.phase] : 'votes only'}</span>
        {slot.view !== null && (
          <span className="muted">
            {protocol.terms.view.charAt(0)}
            {slot.view}
          </span>
        )}
        {slot.digest && <code title="digest">{slot.digest.slice(0, 8)}</code>}
      </div>
      <Votes label={messageWords(prepared.votes).label} count={slot.prepares} quorum={slot.prepareQuorum} formula={prepared.formula(f)} />
      <Votes label={messageWords(committed.votes).label} count={slot.commits} quorum={slot.commitQuorum} formula={committed.formula(f)} />
      <Proof slot={slot} protocol={protocol} />
    </li>
  );
}

/** While it changes view: the VIEW-CHANGEs it holds for the view it moves to, and what each proves. */
function ViewChanges({ data }: { data: ReplicaInspection }) {
  if (!data.viewChanging) return null;
  return (
    <div className="view-changes">
      <p>
        VIEW-CHANGEs for view {data.view}: {data.viewChanges.length} (a NEW-VIEW carries 2f+1 of them)
      </p>
      <ul aria-label={`VIEW-CHANGEs for view ${data.view}`}>
        {data.viewChanges.map((vc) => (
          <li key={vc.sender}>
            from replica {vc.sender}: checkpoint #{vc.checkpoint}
            {vc.prepared.length > 0 ? `, prepared ${vc.prepared.map((s) => `#${s}`).join(', ')}` : ', nothing prepared'}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A running timer, and what it waits for in its protocol's words (PBFT's NEW-VIEW, HotStuff's QC, Tendermint's step). */
function TimerBar({ timer, now, protocol }: { timer: NonNullable<ReplicaInspection['timer']>; now: number; protocol: ProtocolDescriptor }) {
  const span = Math.max(1e-9, timer.deadline - timer.startedAt);
  const done = Math.min(1, Math.max(0, (now - timer.startedAt) / span));
  const what = protocol.timers[timer.kind] ?? 'running';
  return (
    <div className="timer-bar">
      <meter min={0} max={1} value={done} aria-label={`Timer ${Math.round(done * 100)} % elapsed`} />
      <span>
        {what}; fires at {formatTime(timer.deadline)}
      </span>
    </div>
  );
}

function Details({ data, f, now, stale, protocol }: { data: ReplicaInspection; f: number; now: number; stale: boolean; protocol: ProtocolDescriptor }) {
  const { terms } = protocol;
  // Only PBFT keeps checkpoints and a watermark window: for the others those rows would show values they do not have.
  const checkpoints = protocol.messages.some((m) => m.role === 'checkpoint');
  return (
    <div className={`inspection ${stale ? 'stale' : ''}`}>
      <dl className="facts">
        <div>
          <dt>{terms.view.charAt(0).toUpperCase() + terms.view.slice(1)}</dt>
          <dd>{data.view}</dd>
        </div>
        <div>
          <dt>Role</dt>
          <dd>{data.viewChanging ? `changing to ${terms.view} ${data.view}` : data.role === 'primary' ? terms.leader : terms.follower}</dd>
        </div>
        <div>
          <dt>Executed up to</dt>
          <dd>#{data.lastExecuted}</dd>
        </div>
        {checkpoints && (
          <div>
            <dt>Stable checkpoint</dt>
            <dd>
              #{data.stableCheckpoint.seq}{' '}
              {data.stableCheckpoint.seq === 0 ? '(the initial state)' : `(CHECKPOINTs signed by ${replicaList(data.stableCheckpoint.signers)})`}
            </dd>
          </div>
        )}
        {protocol.picture.watermarks && (
          <div>
            <dt>Watermarks</dt>
            <dd>
              h = {data.lowWatermark}, H = {data.highWatermark}
            </dd>
          </div>
        )}
        <div>
          <dt>Waiting requests</dt>
          <dd>{data.waiting}</dd>
        </div>
        <div>
          <dt>Held for later</dt>
          <dd>{data.held}</dd>
        </div>
      </dl>
      {data.protocolState && data.protocolState.length > 0 && (
        // What the protocol keeps beyond PBFT's shape (HotStuff's QCs and lock, Tendermint's round, lock and valid
        // value), in the replica's own words: the core writes them, the page only lists them.
        <dl className="facts protocol-state" aria-label={`${protocol.name} state`}>
          {data.protocolState.map((row) => (
            <div key={row.name}>
              <dt>{row.name}</dt>
              <dd>{row.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {data.behaviour && (
        <p className="behaviour-note">
          <strong>☠ Malicious ({data.behaviour.kind}):</strong> {BEHAVIOUR_DESCRIPTIONS[data.behaviour.kind]}
        </p>
      )}
      {data.timer ? <TimerBar timer={data.timer} now={now} protocol={protocol} /> : <p className="muted">No timer running.</p>}
      {data.resend && (
        <p className="muted">
          If nothing moves, it says again what it said at {formatTime(data.resend.deadline)}
          {data.resend.attempt > 0 ? ` (it has already done so ${data.resend.attempt} ${data.resend.attempt === 1 ? 'time' : 'times'}; each wait is twice the last)` : ''}.
        </p>
      )}
      <ViewChanges data={data} />
      {data.log.length === 0 ? (
        <p className="muted">The log is empty{checkpoints ? ' (nothing above the stable checkpoint)' : ''}.</p>
      ) : (
        <ol className="slots" aria-label="Log by sequence number" tabIndex={0}>
          {data.log.map((slot) => (
            <Slot key={slot.seq} slot={slot} f={f} protocol={protocol} />
          ))}
        </ol>
      )}
    </div>
  );
}

/**
 * One replica from the inside: its view and role, its log with the votes it holds against each quorum and who signed
 * them, its checkpoint and its signers, the VIEW-CHANGEs it collected while changing view, watermarks and timers.
 * Shift-click a replica, press its number, or choose it here.
 */
export function ReplicaInspector() {
  const n = useLab((s) => s.timeline.n);
  const f = useLab((s) => s.timeline.f);
  const selected = useLab((s) => s.selection.replica);
  const inspection = useLab((s) => s.inspection);
  const cursor = useLab((s) => s.cursor);
  const now = useLab((s) => s.timeline.now);
  const protocol = protocolOf(useLab((s) => s.scenario.mode));
  const { selectReplica, toggleMalicious } = useLabActions();
  const behaviour = useLab((s) => (selected === null ? null : (s.scenario.malicious[selected] ?? null)));
  const choice = useLab((s) => s.behaviourChoice.kind);
  const id = useId();
  const data = inspection && inspection.id === selected ? inspection : null;
  return (
    <section className="panel inspector" aria-labelledby="inspector-heading">
      <h2 id="inspector-heading">Inspector</h2>
      <div className="field">
        <label htmlFor={id}>Inspect</label>
        <select id={id} value={selected ?? ''} onChange={(e) => selectReplica(e.currentTarget.value === '' ? null : Number(e.currentTarget.value))}>
          <option value="">No replica</option>
          {Array.from({ length: n }, (_, r) => (
            <option key={r} value={r}>
              Replica {r}
            </option>
          ))}
        </select>
      </div>
      {selected !== null && (
        // What a click on the replica does in the other mode, here too: on a touch screen inspecting and toggling
        // both stay one tap away.
        <button type="button" className="small toggle-malicious" onClick={() => toggleMalicious(selected)}>
          {behaviour ? `Make replica ${selected} honest` : `Make replica ${selected} malicious (${choice})`}
        </button>
      )}
      {selected === null ? (
        <p className="hint">Shift-click a replica, press its number, or switch the graph’s Click to Inspect and tap one, to look inside it.</p>
      ) : data ? (
        <Details data={data.data} f={f} now={now} stale={data.at !== cursor} protocol={protocol} />
      ) : (
        <p className="muted">Reading replica {selected}…</p>
      )}
    </section>
  );
}
