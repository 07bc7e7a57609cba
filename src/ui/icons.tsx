/** Icons as inline SVG: no font or emoji the machine may lack, no request to anywhere. */
const paths = {
  pencil: 'M4 20h4L19 9l-4-4L4 16v4zm11-15 4 4',
  trash: 'M5 7h14M9 7V4h6v3m-8 0 1 13h8l1-13',
  menu: 'M4 7h16M4 12h16M4 17h16',
  close: 'M6 6l12 12M18 6 6 18',
  more: 'M5 12h.5M12 12h.5M19 12h.5',
  clip: 'M20 11.5 12 19.5a5 5 0 0 1-7-7l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7L9.7 17.2a1.7 1.7 0 0 1-2.4-2.4L15 7.1',
  file: 'M6 3h8l4 4v14H6zM14 3v4h4M9 12h6M9 16h6',
  image: 'M4 5h16v14H4zM4 16l5-5 4 4 2-2 5 5M15 9.5h.5',
};

export function Icon({ name }: { name: keyof typeof paths }) {
  return (
    <svg class="svg-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
      <path d={paths[name]} fill="none" stroke="currentColor" stroke-width={name === 'more' ? 3 : 2} stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}
