// The contents list of the episode's articles: marks the entry of the article whose claim the
// follower holds current (the one highlighted, and scrolled to, in the notes).

export function bindContents(nav, follower) {
  const links = new Map(
    [...nav.querySelectorAll("[data-contents-for]")].map((link) => [link.dataset.contentsFor, link]),
  );
  let current = null;
  follower.addEventListener("change", (event) => {
    const article = event.detail.claim?.closest("[data-article-slug]");
    const link = (article && links.get(article.dataset.articleSlug)) ?? null;
    if (link === current) return;
    current?.removeAttribute("aria-current");
    link?.setAttribute("aria-current", "true");
    current = link;
  });
}
