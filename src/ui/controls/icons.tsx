/** Button icons as inline SVG: symbol fonts differ between classroom machines, geometry does not. */
const PATHS = {
  play: 'M4 2.5v11l9.5-5.5z',
  pause: 'M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z',
  step: 'M2.5 2.5v11l8-5.5zM11 2.5h2.5v11H11z',
  phase: 'M1.5 2.5v11l6-5.5zM7.5 2.5v11l6-5.5zM13.5 2.5H15v11h-1.5z',
  request: 'M1 2.5v11l4.5-5.5zM5.5 2.5v11L10 8zM10 2.5v11l4.5-5.5zM14.5 2.5H16v11h-1.5z',
  back: 'M13.5 2.5v11l-8-5.5zM5 2.5H2.5v11H5z',
  live: 'M2.5 2.5v11l8-5.5zM11.5 2.5H14v11h-2.5z',
  reset: 'M8 2.5a5.5 5.5 0 1 1-5.2 3.7l1.9.7A3.5 3.5 0 1 0 8 4.5v2.2L4.5 3.5 8 .3z',
  plus: 'M6.8 2.5h2.4v4.3h4.3v2.4H9.2v4.3H6.8V9.2H2.5V6.8h4.3z',
} as const;

export function Icon({ name }: { name: keyof typeof PATHS }) {
  return (
    <svg className="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="currentColor" />
    </svg>
  );
}
