import { scaleLog } from 'd3';
import { clampTo, PARAMS } from '../../sim/params';

/** The Speed slider moves in equal steps of log(speed): the table's whole range (1 → 5000 virtual ms per second) in one sweep. */
export const SPEED_SLIDER_MAX = 1000;

const scale = scaleLog().domain([PARAMS.speed.min, PARAMS.speed.max]).range([0, SPEED_SLIDER_MAX]).clamp(true);

export function sliderFromSpeed(speed: number): number {
  return Math.round(scale(speed));
}

/** Rounded to two significant figures, so the value shown is one a person would say out loud. */
export function speedFromSlider(position: number): number {
  const raw = scale.invert(position);
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(raw)) - 1);
  return clampTo(PARAMS.speed, Math.round(raw / magnitude) * magnitude);
}

export function formatSpeed(speed: number): string {
  return speed >= 1000 ? `${(speed / 1000).toFixed(speed % 1000 === 0 ? 0 : 1)} s/s` : `${speed} ms/s`;
}
