/** A poster's scan: the Electron app serves it on poster://, the browser host on /images/. */
let source: 'electron' | 'http' = 'electron';

/** Called once at start-up by whoever provides window.api. */
export function imagesOverHttp(): void {
  source = 'http';
}

export function imageUrl(posterId: number): string {
  return source === 'electron' ? `poster://image/${posterId}` : `/images/${posterId}`;
}

/** A poster's thumbnail (made at import). */
export function thumbnailUrl(poster: { id: number; thumbnail: string }): string {
  return source === 'electron' ? `poster://thumb/${poster.id}` : `/thumbnails/${encodeURIComponent(poster.thumbnail)}`;
}

/** True in the desktop app (native dialogs, poster: URLs); false in a browser on the browser host. */
export function isDesktop(): boolean {
  return source === 'electron';
}
