/** Icons as inline SVG: no font or emoji the machine may lack, no request to anywhere. */
const paths = {
  pencil: 'M4 20h4L19 9l-4-4L4 16v4zm11-15 4 4',
  trash: 'M5 7h14M9 7V4h6v3m-8 0 1 13h8l1-13',
  menu: 'M4 7h16M4 12h16M4 17h16',
  close: 'M6 6l12 12M18 6 6 18',
  more: 'M5 12h.5M12 12h.5M19 12h.5',
};

export function Icon({ name }: { name: keyof typeof paths }) {
  return (
    <svg class="svg-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path d={paths[name]} fill="none" stroke="currentColor" stroke-width={name === 'more' ? 3 : 2} stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
