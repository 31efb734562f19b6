import { useState } from 'react';
import { PARAMS, shownRange, type NumberParam } from '../../sim/params';
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
    </>
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

export function SpeedControl() {
  const speed = useLab((s) => s.playback.speed);
  const { setSpeed } = useLabActions();
  return (
    <Slider
      label={PARAMS.speed.label}
      value={sliderFromSpeed(speed)}
      min={0}
      max={SPEED_SLIDER_MAX}
      onChange={(v) => setSpeed(speedFromSlider(v))}
      display={formatSpeed(speed)}
      hint="Virtual milliseconds per real second"
    />
  );
}
