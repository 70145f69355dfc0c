import { useEffect } from 'react';

/** Sets the browser tab's title; people keep several documents open in tabs. */
export function usePageTitle(title: string | null | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · Roundtable` : 'Roundtable';
  }, [title]);
}
