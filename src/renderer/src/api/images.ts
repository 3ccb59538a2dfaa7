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
  // Each segment is encoded on its own: the host refuses an encoded "/" (%2F) inside a segment.
  return source === 'electron' ? `poster://thumb/${poster.id}` : `/thumbnails/${poster.thumbnail.split('/').map(encodeURIComponent).join('/')}`;
}

/** True in the desktop app (native dialogs, poster: URLs); false in a browser on the browser host. */
export function isDesktop(): boolean {
  return source === 'electron';
}
