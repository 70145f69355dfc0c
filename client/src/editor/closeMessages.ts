import { CloseCode } from '../../../shared/protocol/index.js';

/**
 * What to tell a person when the server closed the document's socket for good (44xx).
 * `unsaved`: this browser holds edits the server has not acknowledged.
 */
export function finalCloseMessage(code: number, reason: string, unsaved: boolean): { title: string; body: string } {
  const kept = unsaved ? ' Your latest changes were not saved on the server; they are kept only in this browser.' : '';
  switch (code) {
    case CloseCode.AccessRevoked:
      return {
        title: 'You no longer have access to this document',
        body: `Your role in this group changed or you were removed from it.${kept} Ask the group’s rapporteur if you think this is a mistake.`,
      };
    case CloseCode.SessionEnded:
      return { title: 'You were signed out', body: `Sign in again to continue.${kept}` };
    case CloseCode.DocumentTooLarge:
      return {
        title: 'This document has reached its size limit',
        body: `The server refused a change because the document would grow beyond the allowed size.${kept}${unsaved ? ' Copy anything you need from them, and ask your administrator about the limit.' : ''}`,
      };
    case CloseCode.RateLimited:
      // Only a socket flooding for seconds, or sending far more than the server can take in before
      // the document is loaded, gets here: a fresh page starts with an empty budget.
      return {
        title: 'The connection to this document was closed',
        body: `This browser sent changes or presence updates faster than the server accepts them.${kept} Reload the page to continue; if it happens again, tell your administrator.`,
      };
    case CloseCode.MalformedMessage:
      return {
        title: 'The connection to this document was closed',
        body: `The server could not read a message from this browser.${kept} Reload the page to continue; if it happens again, tell your administrator.`,
      };
    default:
      return {
        title: 'The connection to this document was closed',
        body: `The server ended the connection (${code}${reason ? ` ${reason}` : ''}) and will not accept it again as it is.${kept} Reload the page to try again.`,
      };
  }
}
