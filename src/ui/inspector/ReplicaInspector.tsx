import { useId } from 'react';
import { messageWords, protocolOf, type ProtocolDescriptor } from '../../sim/protocols';
import { BEHAVIOUR_DESCRIPTIONS } from '../../sim/scenario';
import type { ReplicaInspection, SlotInspection } from '../../sim/types';
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

/** The votes a slot holds against its protocol's certificates: PBFT's prepared needs 2f PREPAREs, the seed's 2f+1. */
function Slot({ slot, f, protocol }: { slot: SlotInspection; f: number; protocol: ProtocolDescriptor }) {
  const { prepared, committed } = protocol.quorums;
  return (
    <li className={`slot phase-${slot.phase ?? 'none'}`}>
      <div className="slot-head">
        <strong>#{slot.seq}</strong>
        <span>{slot.phase ?? 'votes only'}</span>
        {slot.view !== null && <span className="muted">v{slot.view}</span>}
        {slot.digest && <code title="digest">{slot.digest.slice(0, 8)}</code>}
      </div>
      <Votes label={messageWords(prepared.votes).label} count={slot.prepares} quorum={slot.prepareQuorum} formula={prepared.formula(f)} />
      <Votes label={messageWords(committed.votes).label} count={slot.commits} quorum={slot.commitQuorum} formula={committed.formula(f)} />
    </li>
  );
}

function TimerBar({ timer, now }: { timer: NonNullable<ReplicaInspection['timer']>; now: number }) {
  const span = Math.max(1e-9, timer.deadline - timer.startedAt);
  const done = Math.min(1, Math.max(0, (now - timer.startedAt) / span));
  const what = timer.kind === 'view-change' ? 'waiting for NEW-VIEW' : 'waiting for the request to execute';
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
  return (
    <div className={`inspection ${stale ? 'stale' : ''}`}>
      <dl className="facts">
        <div>
          <dt>View</dt>
          <dd>{data.view}</dd>
        </div>
        <div>
          <dt>Role</dt>
          <dd>{data.viewChanging ? `changing to view ${data.view}` : data.role}</dd>
        </div>
        <div>
          <dt>Executed up to</dt>
          <dd>#{data.lastExecuted}</dd>
        </div>
        <div>
          <dt>Stable checkpoint</dt>
          <dd>
            #{data.stableCheckpoint.seq} ({data.stableCheckpoint.signers} signers)
          </dd>
        </div>
        <div>
          <dt>Watermarks</dt>
          <dd>
            h = {data.lowWatermark}, H = {data.highWatermark}
          </dd>
        </div>
        <div>
          <dt>Waiting requests</dt>
          <dd>{data.waiting}</dd>
        </div>
      </dl>
      {data.behaviour && (
        <p className="behaviour-note">
          <strong>☠ Malicious ({data.behaviour.kind}):</strong> {BEHAVIOUR_DESCRIPTIONS[data.behaviour.kind]}
        </p>
      )}
      {data.timer ? <TimerBar timer={data.timer} now={now} /> : <p className="muted">No timer running.</p>}
      {data.log.length === 0 ? (
        <p className="muted">The log is empty (nothing above the stable checkpoint).</p>
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
 * One replica from the inside: its view and role, its log with the votes it holds against each quorum, its
 * checkpoint, watermarks and timer. Shift-click a replica, press its number, or choose it here.
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
