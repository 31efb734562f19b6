import { describe, expect, it } from 'vitest';
import { PARAMS } from '../../sim/params';
import { SPEED_SLIDER_MAX, formatSpeed, sliderFromSpeed, speedFromSlider } from './speedScale';

describe('the Speed slider', () => {
  it('spans 1 to 5000 virtual ms per second', () => {
    expect(speedFromSlider(0)).toBe(PARAMS.speed.min);
    expect(speedFromSlider(SPEED_SLIDER_MAX)).toBe(PARAMS.speed.max);
  });

  it('round-trips the default speed exactly', () => {
    expect(speedFromSlider(sliderFromSpeed(PARAMS.speed.default))).toBe(PARAMS.speed.default);
  });

  it('moves in equal ratios and shows numbers a person would say', () => {
    for (let p = 0; p <= SPEED_SLIDER_MAX; p += 50) {
      const speed = speedFromSlider(p);
      expect(Number(speed.toPrecision(2))).toBe(speed);
    }
    expect(speedFromSlider(500)).toBeGreaterThan(50);
    expect(speedFromSlider(500)).toBeLessThan(100);
  });

  it('formats as ms/s, and s/s from 1000 up', () => {
    expect(formatSpeed(20)).toBe('20 ms/s');
    expect(formatSpeed(5000)).toBe('5 s/s');
    expect(formatSpeed(1500)).toBe('1.5 s/s');
  });
});
