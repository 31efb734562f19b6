import { useState } from 'react';
import { PARAMS, shownRange, type NumberParam } from '../../sim/params';
import { PROTOCOLS } from '../../sim/protocols';
import type { ProtocolMode } from '../../sim/types';
import { replicaCount } from '../../sim/scenario';
import type { NetworkParams } from '../../sim/types';
import { useLab, useLabActions } from '../../store/context';
import { Slider } from './Slider';
import { formatSpeed, sliderFromSpeed, speedFromSlider, SPEED_SLIDER_MAX } from './speedScale';

/** f and the seed define a run: changing either restarts it. */
export function RunControls() {
  const f = useLab((s) => s.scenario.f);
  const { setF } = useLabActions();
  return (
    <>
      <Slider
        label={PARAMS.f.label}
        value={f}
        min={PARAMS.f.min}
        max={PARAMS.f.max}
        onChange={setF}
        display={`${f} (n=${replicaCount({ f })})`}
        hint="Faults tolerated; the run restarts with n = 3f + 1 replicas"
      />
      <SeedInput />
      <ProtocolSelect />
    </>
  );
}

/** The protocols in the order the select lists them: the full ones first, the seed article's last. */
export const PROTOCOL_ORDER: readonly ProtocolMode[] = ['pbft', 'hotstuff', 'chained-hotstuff', 'tendermint', 'seed'];

/** What each protocol is, in a line, under the select. */
export const PROTOCOL_HINTS: Readonly<Record<ProtocolMode, string>> = {
  pbft: 'Castro and Liskov: PRE-PREPARE, then PREPARE and COMMIT all-to-all (about 2n² messages); a view change replaces a faulty primary.',
  hotstuff: 'Basic HotStuff: votes go to the leader only, who shows a quorum certificate to all: linear messages, one more round trip; a new view on timeout.',
  'chained-hotstuff': 'Chained HotStuff: one proposal and one vote per view, the votes to the next leader; each QC advances three nodes at once, and a node is decided by a three-chain.',
  tendermint: 'Tendermint: PROPOSAL, then PREVOTE and PRECOMMIT all-to-all; a faulty proposer costs a round, and locks carry safety across rounds.',
  seed: 'The seed article’s protocol: fixed primary, no view change — a faulty primary means a time-out.',
};

/** The scenario's protocol: changing it starts the same scenario (n, seed, network, liars) under another. */
function ProtocolSelect() {
  const mode = useLab((s) => s.scenario.mode ?? 'pbft');
  const { setMode } = useLabActions();
  return (
    <div className="field">
      <label htmlFor="protocol-select">{PARAMS.mode.label}</label>
      <select id="protocol-select" value={mode} onChange={(e) => setMode(e.currentTarget.value as ProtocolMode)} aria-describedby="protocol-hint">
        {PROTOCOL_ORDER.map((m) => (
          <option key={m} value={m}>
            {m === 'seed' ? 'Seed article' : PROTOCOLS[m].name}
          </option>
        ))}
      </select>
      <p id="protocol-hint" className="hint">
        {PROTOCOL_HINTS[mode]}
      </p>
    </div>
  );
}

function SeedInput() {
  const seed = useLab((s) => s.scenario.seed);
  const { setSeed } = useLabActions();
  // A draft, so a half-typed or empty field does not restart the run.
  const [draft, setDraft] = useState(String(seed));
  return (
    <div className="field">
      <label htmlFor="seed-input">Seed</label>
      <input
        id="seed-input"
        type="number"
        step={1}
        inputMode="numeric"
        value={draft}
        onChange={(e) => {
          const text = e.currentTarget.value;
          setDraft(text);
          if (/^-?\d+$/.test(text.trim())) setSeed(Number(text));
        }}
        onBlur={() => setDraft(String(seed))}
      />
    </div>
  );
}

/** The network knobs, in the table's order; ranges, units and scale (percent for rates) come from the table. */
const NETWORK_PARAMS = [PARAMS.minDelayMs, PARAMS.maxDelayMs, PARAMS.dropRate, PARAMS.reorderRate] as const satisfies ReadonlyArray<NumberParam & { key: keyof NetworkParams }>;

/** Network knobs apply to messages sent from now on; the run goes on. */
export function NetworkControls() {
  return (
    <>
      {NETWORK_PARAMS.map((param) => (
        <NetworkSlider key={param.key} param={param} />
      ))}
    </>
  );
}

function NetworkSlider({ param }: { param: (typeof NETWORK_PARAMS)[number] }) {
  const value = useLab((s) => s.scenario[param.key]);
  const { setNetwork } = useLabActions();
  return <ParamSlider param={param} value={value} onChange={(v) => setNetwork({ [param.key]: v })} />;
}

/**
 * A slider for one parameter of the table: its label, range, unit and display scale (rates show as whole percents)
 * come from the table; `onChange` gets the stored value (a rate as 0..1).
 */
export function ParamSlider({ param, value, onChange, step }: { param: NumberParam; value: number; onChange(value: number): void; step?: number }) {
  const shown = param.scale === 1 ? value : Math.round(value * param.scale);
  const { min, max } = shownRange(param);
  return (
    <Slider
      label={param.label}
      value={shown}
      min={min}
      max={max}
      step={step}
      onChange={(v) => onChange(v / param.scale)}
      display={`${shown} ${param.unit}`}
    />
  );
}

/** The speed slider (logarithmic, virtual ms per real second), for the lab's run or the Compare view's runs together. */
export function SpeedSlider({ speed, setSpeed, hint = 'Virtual milliseconds per real second' }: { speed: number; setSpeed: (speed: number) => void; hint?: string }) {
  return (
    <Slider
      label={PARAMS.speed.label}
      value={sliderFromSpeed(speed)}
      min={0}
      max={SPEED_SLIDER_MAX}
      onChange={(v) => setSpeed(speedFromSlider(v))}
      display={formatSpeed(speed)}
      hint={hint}
    />
  );
}

export function SpeedControl() {
  const speed = useLab((s) => s.playback.speed);
  const { setSpeed } = useLabActions();
  return <SpeedSlider speed={speed} setSpeed={setSpeed} />;
}
