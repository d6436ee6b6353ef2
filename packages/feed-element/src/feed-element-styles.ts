/**
 * The element's shadow styles. Adopted as a constructed stylesheet where supported (CSSOM is not
 * subject to a page's `style-src`, so a strict CSP needs no exception), else a <style> element.
 * Hosts restyle through the `--ic-feed-*` variables and `::part(...)`.
 */
export const FEED_ELEMENT_CSS = `
:host{display:block;--ic-feed-min:150px;--ic-feed-gap:4px;--ic-feed-radius:0;--ic-feed-placeholder:#e9e9ef;--ic-feed-focus:#1a73e8;--ic-feed-mark:#fff}
:host([hidden]){display:none}
ul{list-style:none;margin:0;padding:0;display:grid;gap:var(--ic-feed-gap);grid-template-columns:repeat(auto-fill,minmax(min(var(--ic-feed-min),100%),1fr))}
:host([layout=list]) ul{grid-template-columns:1fr}
li{position:relative;aspect-ratio:1/1;overflow:hidden;border-radius:var(--ic-feed-radius);background:var(--ic-feed-placeholder)}
:host([layout=list]) li{aspect-ratio:auto;background:none}
a,.tile{display:block;position:relative;height:100%;color:inherit;text-decoration:none}
:host([layout=list]) a,:host([layout=list]) .tile{display:flex;gap:12px;align-items:flex-start}
a:focus-visible{outline:3px solid var(--ic-feed-focus);outline-offset:-3px}
img{display:block;width:100%;height:100%;aspect-ratio:1/1;object-fit:cover}
:host([layout=list]) img{width:min(33%,160px);height:auto;flex:none}
.caption{display:none;overflow-wrap:anywhere}
:host([layout=list]) .caption{display:block}
.mark{position:absolute;top:8px;right:8px;width:0;height:0;filter:drop-shadow(0 0 2px rgb(0 0 0/60%))}
.video{border-style:solid;border-width:8px 0 8px 13px;border-color:transparent transparent transparent var(--ic-feed-mark)}
.carousel{width:12px;height:12px;border:2px solid var(--ic-feed-mark);box-shadow:-4px 4px 0 -2px var(--ic-feed-mark)}
.skeleton{animation:pulse 1.2s ease-in-out infinite alternate}
@keyframes pulse{to{opacity:.5}}
@media (prefers-reduced-motion:reduce){.skeleton{animation:none}}
p{margin:0;padding:16px 0}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
`;

let shared: CSSStyleSheet | null = null;

/** Adds the styles to a shadow root: one shared constructed sheet, or a <style> fallback. */
export function adoptFeedStyles(root: ShadowRoot): void {
  if (
    "adoptedStyleSheets" in root &&
    typeof CSSStyleSheet !== "undefined" &&
    "replaceSync" in CSSStyleSheet.prototype
  ) {
    if (!shared) {
      shared = new CSSStyleSheet();
      shared.replaceSync(FEED_ELEMENT_CSS);
    }
    root.adoptedStyleSheets = [shared];
    return;
  }
  const style = document.createElement("style");
  style.textContent = FEED_ELEMENT_CSS;
  root.append(style);
}
