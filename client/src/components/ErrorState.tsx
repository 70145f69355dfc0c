import type { ReactNode } from 'react';
import { ApiError } from '../api/client.js';

interface Props {
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
  testId?: string;
}

/** A calm, centred message for a page that cannot show what was asked for. */
export function ErrorState({ title, children, actions, testId }: Props) {
  return (
    <section className="empty-state empty-state--error" role="alert" data-testid={testId ?? 'error-state'}>
      <h1 className="empty-state__title">{title}</h1>
      {children && <div className="empty-state__body">{children}</div>}
      {actions && <div className="empty-state__actions">{actions}</div>}
    </section>
  );
}

/** A sentence a person can act on, for any error a page load may throw. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}
