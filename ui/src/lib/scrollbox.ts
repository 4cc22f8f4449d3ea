// Boxes that scroll sideways on their own (`.table-wrap`: a wide table on a tablet) take
// the keyboard focus while they scroll, so they can be scrolled without a mouse (WCAG
// 2.1.1); a box that fits takes none. One watcher for the whole page, so pages need no
// code of their own.

const SELECTOR = '.table-wrap';

/** Gives `el` a tab stop exactly while its content is wider than it. */
export function markScrollable(el: HTMLElement): void {
  const scrolls = el.scrollWidth > el.clientWidth + 1;
  if (scrolls && el.getAttribute('tabindex') === null) {
    el.setAttribute('tabindex', '0');
    el.dataset.scrollbox = '';
  } else if (!scrolls && el.dataset.scrollbox !== undefined) {
    el.removeAttribute('tabindex');
    delete el.dataset.scrollbox;
  }
}

/** Watches `root` for scroll boxes, now and as pages change; returns the stop. */
export function watchScrollBoxes(root: HTMLElement = document.body): () => void {
  let queued = false;
  const check = () => {
    queued = false;
    root.querySelectorAll<HTMLElement>(SELECTOR).forEach(markScrollable);
  };
  const later = () => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(check);
    }
  };
  const mo = new MutationObserver(later);
  mo.observe(root, { childList: true, subtree: true });
  window.addEventListener('resize', later);
  later();
  return () => {
    mo.disconnect();
    window.removeEventListener('resize', later);
  };
}
