/**
 * Platform text as text. Addresses in it are set apart so they are easy to see and copy, but
 * they are never links: nothing a customer wrote opens anything in the desk.
 */
import { memo } from 'react';
import { splitLinks } from './links';

export const LinkifiedText = memo(function LinkifiedText({ text }: { text: string }) {
  const parts = splitLinks(text);
  if (parts.length === 1 && parts[0]?.link !== true) return <>{text}</>;
  return (
    <>
      {parts.map((part, index) =>
        part.link ? (
          <span key={index} className="text-link" title="Address shown as text; the desk does not open it">
            {part.text}
          </span>
        ) : (
          <span key={index}>{part.text}</span>
        ),
      )}
    </>
  );
});
