import { useState } from 'react';
import { replicaCount } from '../../sim/scenario';
import { F_RANGE, DELAY_RANGE } from '../../store/labStore';
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
        label="f"
        value={f}
        min={F_RANGE.min}
        max={F_RANGE.max}
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

/** Network knobs apply to messages sent from now on; the run goes on. */
export function NetworkControls() {
  const minDelayMs = useLab((s) => s.scenario.minDelayMs);
  const maxDelayMs = useLab((s) => s.scenario.maxDelayMs);
  const dropRate = useLab((s) => s.scenario.dropRate);
  const reorderRate = useLab((s) => s.scenario.reorderRate);
  const { setNetwork } = useLabActions();
  const percent = (rate: number) => Math.round(rate * 100);
  return (
    <>
      <Slider
        label="Min delay"
        value={minDelayMs}
        min={DELAY_RANGE.min}
        max={DELAY_RANGE.max}
        onChange={(v) => setNetwork({ minDelayMs: v })}
        display={`${minDelayMs} ms`}
      />
      <Slider
        label="Max delay"
        value={maxDelayMs}
        min={DELAY_RANGE.min}
        max={DELAY_RANGE.max}
        onChange={(v) => setNetwork({ maxDelayMs: v })}
        display={`${maxDelayMs} ms`}
      />
      <Slider
        label="Drop rate"
        value={percent(dropRate)}
        min={0}
        max={100}
        onChange={(v) => setNetwork({ dropRate: v / 100 })}
        display={`${percent(dropRate)} %`}
      />
      <Slider
        label="Reorder rate"
        value={percent(reorderRate)}
        min={0}
        max={100}
        onChange={(v) => setNetwork({ reorderRate: v / 100 })}
        display={`${percent(reorderRate)} %`}
      />
    </>
  );
}

export function SpeedControl() {
  const speed = useLab((s) => s.playback.speed);
  const { setSpeed } = useLabActions();
  return (
    <Slider
      label="Speed"
      value={sliderFromSpeed(speed)}
      min={0}
      max={SPEED_SLIDER_MAX}
      onChange={(v) => setSpeed(speedFromSlider(v))}
      display={formatSpeed(speed)}
      hint="Virtual milliseconds per real second"
    />
  );
}
