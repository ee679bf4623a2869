import { Suspense } from 'react';
import { ChartGrid } from '@/components/grid/ChartGrid';

export default function GridPage() {
  // The grid reads its symbols from the URL, which needs a Suspense boundary when the page is prerendered.
  return (
    <Suspense>
      <ChartGrid />
    </Suspense>
  );
}
