import { showNotify } from 'vant';
import { describeError } from '../../i18n';
import { errorCode } from '../../api/client';

/** A short confirmation at the top of the window. */
export const notifyDone = (message: string) => showNotify({ type: 'success', message, duration: 2500 });

/** A failure by its code, in the reader's language (see ErrorBanner for failures that stay on the page). */
export const notifyError = (err: unknown) =>
  showNotify({ type: 'danger', message: describeError({ code: errorCode(err), details: (err as { details?: unknown }).details }), duration: 5000 });
