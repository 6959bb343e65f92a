import { Readable } from 'node:stream';

/**
 * A decoded file as a stream of 64 KB pieces: a parser fed the whole text at once would parse every row in one turn
 * of the event loop and keep the process from answering other requests meanwhile.
 */
export function textSource(text: string, pieceSize = 64 * 1024): Readable {
  return Readable.from((function* pieces() {
    for (let i = 0; i < text.length; i += pieceSize) yield text.slice(i, i + pieceSize);
  })());
}
