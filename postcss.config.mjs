/** Tailwind 4 runs as a single PostCSS plugin; it finds the class names in the sources itself. */
export default {
  plugins: {
    '@tailwindcss/postcss': {},
  },
};
