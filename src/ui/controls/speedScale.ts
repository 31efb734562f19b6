import { scaleLog } from 'd3';
import { SPEED_LIMITS } from '../../worker/protocol';

/** The Speed slider moves in equal steps of log(speed): 1 → 5000 virtual ms per second in one sweep. */
export const SPEED_SLIDER_MAX = 1000;

const scale = scaleLog().domain([SPEED_LIMITS.min, SPEED_LIMITS.max]).range([0, SPEED_SLIDER_MAX]).clamp(true);

export function sliderFromSpeed(speed: number): number {
  return Math.round(scale(speed));
}

/** Rounded to two significant figures, so the value shown is one a person would say out loud. */
export function speedFromSlider(position: number): number {
  const raw = scale.invert(position);
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(raw)) - 1);
  return Math.min(SPEED_LIMITS.max, Math.max(SPEED_LIMITS.min, Math.round(raw / magnitude) * magnitude));
}

export function formatSpeed(speed: number): string {
  return speed >= 1000 ? `${(speed / 1000).toFixed(speed % 1000 === 0 ? 0 : 1)} s/s` : `${speed} ms/s`;
}
