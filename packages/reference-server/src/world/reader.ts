// Reading the bytes a URI names (`file://`, `http(s)://`, `base64://`) within the world's limits,
// and what they hold. Runs outside any transaction: it may download.

import { invalidArgument } from '../errors.ts';
import { inspect, isImage, type MediaInfo } from './media.ts';
import { loadUri } from './resources.ts';

/** The limits a read keeps to. */
export interface ReadLimits {
  readonly maxResourceBytes: number;
  readonly downloadTimeout: number;
  readonly fileRoot: string | undefined;
}

/** Bytes read from a URI, and what they hold. */
export interface Loaded {
  readonly data: Buffer;
  readonly info: MediaInfo;
}

/** Reads URIs within the limits of the world. */
export class MediaReader {
  private readonly limits: ReadLimits;

  constructor(limits: ReadLimits) {
    this.limits = limits;
  }

  /** Reads the bytes a URI names; `image` requires an image. `field` names the URI in errors. */
  async read(uri: string, field: string, image = false): Promise<Loaded> {
    const data = await loadUri(uri, field, {
      maxBytes: this.limits.maxResourceBytes,
      timeout: this.limits.downloadTimeout,
      fileRoot: this.limits.fileRoot,
    });
    const info = inspect(data);
    if (image && !isImage(info.mime)) throw invalidArgument(field, 'the data is not an image (expected PNG, JPEG, GIF, WebP or BMP)');
    return { data, info };
  }
}
