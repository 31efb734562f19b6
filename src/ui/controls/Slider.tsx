import { useId } from 'react';

interface SliderProps {
  /** The exact accessible name: tests and screen readers find the control by it. */
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  onChange(value: number): void;
  /** The value as shown next to the slider and announced by screen readers. */
  display: string;
  hint?: string;
}

export function Slider({ label, value, min, max, step = 1, onChange, display, hint }: SliderProps) {
  const id = useId();
  return (
    <div className="slider">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={step}
        value={value}
        aria-valuetext={display}
        title={hint}
        onChange={(e) => onChange(Number(e.currentTarget.value))}
      />
      <output htmlFor={id} aria-hidden="true">
        {display}
      </output>
    </div>
  );
}
