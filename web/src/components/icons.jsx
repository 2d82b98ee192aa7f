// Inline SVG icons (no icon font, no emoji: headless browsers and small boxes often lack emoji fonts).
const Svg = ({ children, size = 16 }) => (
  <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">{children}</svg>
);
export const IconCamera = () => <Svg><path d="M3 7h4l2-3h6l2 3h4v13H3z" /><circle cx="12" cy="13" r="4" /></Svg>;
export const IconFullscreen = () => <Svg><path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5" /></Svg>;
export const IconExpand = () => <Svg><rect x="3" y="5" width="18" height="14" rx="2" /><path d="M9 12h6M12 9v6" /></Svg>;
export const IconSun = () => <Svg><circle cx="12" cy="12" r="4" /><path d="M12 2v2M12 20v2M2 12h2M20 12h2M5 5l1.5 1.5M17.5 17.5L19 19M5 19l1.5-1.5M17.5 6.5L19 5" /></Svg>;
export const IconMoon = () => <Svg><path d="M21 13A9 9 0 1 1 11 3a7 7 0 0 0 10 10z" /></Svg>;
export const IconAuto = () => <Svg><circle cx="12" cy="12" r="9" /><path d="M12 3v18" /><path d="M12 3a9 9 0 0 1 0 18z" fill="currentColor" /></Svg>;
export const IconMenu = () => <Svg><path d="M4 6h16M4 12h16M4 18h16" /></Svg>;
export const IconMic = () => <Svg><rect x="9" y="2" width="6" height="12" rx="3" /><path d="M5 11a7 7 0 0 0 14 0M12 18v4" /></Svg>;
// A sun with a half-filled disc: picture adjustments.
export const IconImaging = () => <Svg><circle cx="12" cy="12" r="5" /><path d="M12 7a5 5 0 0 1 0 10zM12 1v2M12 21v2M1 12h2M21 12h2M4.2 4.2l1.4 1.4M18.4 18.4l1.4 1.4M4.2 19.8l1.4-1.4M18.4 5.6l1.4-1.4" /></Svg>;
export const IconPtz = () => <Svg><circle cx="12" cy="12" r="3" /><path d="M12 2l3 3h-6zM12 22l-3-3h6zM2 12l3-3v6zM22 12l-3 3V9z" /></Svg>;
