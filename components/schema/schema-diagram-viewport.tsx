'use client';

import Link from 'next/link';
import { useEffect, useRef, useState, type ReactNode } from 'react';

export interface ViewportTable {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

interface ViewBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

const ZOOM_STEP = 1.25;
// A centred table is shown at about its drawn size, with room for the tables around it.
const CENTRED_VIEW = { width: 1400, height: 800 };

function centredOn(table: ViewportTable): ViewBox {
  return { x: table.x + table.width / 2 - CENTRED_VIEW.width / 2, y: table.y + table.height / 2 - CENTRED_VIEW.height / 2, ...CENTRED_VIEW };
}

function zoomed(view: ViewBox, factor: number, around = { x: view.x + view.width / 2, y: view.y + view.height / 2 }): ViewBox {
  return {
    x: around.x - (around.x - view.x) / factor,
    y: around.y - (around.y - view.y) / factor,
    width: view.width / factor,
    height: view.height / factor,
  };
}

/**
 * Pan, zoom and search over the diagram the server laid out and drew (its shapes arrive as
 * children): only the SVG's viewBox changes here, so the layout never runs in the browser.
 */
export function SchemaDiagramViewport({
  width,
  height,
  margin,
  tables,
  centreOn,
  schemaPath,
  children,
}: {
  width: number;
  height: number;
  margin: number;
  tables: ViewportTable[];
  centreOn: string | null;
  schemaPath: string;
  children: ReactNode;
}) {
  const whole: ViewBox = { x: -margin, y: -margin, width: width + margin * 2, height: height + margin * 2 };
  const centred = tables.find((t) => t.id === centreOn);
  const [view, setView] = useState<ViewBox>(centred ? centredOn(centred) : whole);
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<string | null>(centred?.id ?? null);
  const svgRef = useRef<SVGSVGElement>(null);
  const drag = useRef<{ clientX: number; clientY: number; pixelsPerUnit: number; view: ViewBox } | null>(null);

  const matches = query.trim() === '' ? [] : tables.filter((t) => t.id.toLowerCase().includes(query.trim().toLowerCase()));
  const highlighted = new Set([...matches.map((t) => t.id), ...(selected ? [selected] : [])]);

  // React's wheel listener is passive, so it cannot keep the page from scrolling while zooming.
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const matrix = svg.getScreenCTM();
      if (!matrix) return;
      const around = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
      // In proportion to the wheel's delta: a trackpad sends many small ones, a mouse few large ones.
      setView((current) => zoomed(current, Math.exp(-event.deltaY * 0.002), around));
    };
    svg.addEventListener('wheel', onWheel, { passive: false });
    return () => svg.removeEventListener('wheel', onWheel);
  }, []);

  const centre = (table: ViewportTable) => {
    setSelected(table.id);
    setView(centredOn(table));
  };

  return (
    <div>
      <div className="mb-2 flex flex-wrap items-start gap-2">
        <div className="relative">
          <input
            type="search"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && matches[0]) centre(matches[0]);
            }}
            placeholder="Find a table"
            aria-label="Find a table"
            className="w-64 rounded border border-slate-300 px-2 py-1 text-sm"
          />
          {matches.length > 0 && (
            <ul
              className="absolute z-10 mt-1 max-h-64 w-64 overflow-auto rounded border border-slate-200 bg-white text-sm shadow"
              data-testid="diagram-search-results"
            >
              {matches.slice(0, 20).map((table) => (
                <li key={table.id} className="flex items-center justify-between gap-2 px-2 py-1 hover:bg-slate-50">
                  <button type="button" className="truncate text-left font-mono text-sky-800" onClick={() => centre(table)}>
                    {table.id}
                  </button>
                  <Link href={`${schemaPath}?focus=${encodeURIComponent(table.id)}&hops=1`} className="shrink-0 text-xs text-slate-600 underline">
                    focus
                  </Link>
                </li>
              ))}
              {matches.length > 20 && <li className="px-2 py-1 text-xs text-slate-500">{matches.length - 20} more: type more of the name</li>}
            </ul>
          )}
        </div>
        <div className="flex gap-1" role="group" aria-label="Zoom">
          {[
            { label: '+', name: 'Zoom in', testId: 'diagram-zoom-in', onClick: () => setView((v) => zoomed(v, ZOOM_STEP)) },
            { label: '−', name: 'Zoom out', testId: 'diagram-zoom-out', onClick: () => setView((v) => zoomed(v, 1 / ZOOM_STEP)) },
            { label: 'fit', name: 'Fit the whole picture', testId: 'diagram-zoom-fit', onClick: () => setView(whole) },
          ].map((button) => (
            <button
              key={button.testId}
              type="button"
              aria-label={button.name}
              title={button.name}
              data-testid={button.testId}
              onClick={button.onClick}
              className="min-w-8 rounded border border-slate-300 px-2 py-1 text-sm hover:bg-slate-50"
            >
              {button.label}
            </button>
          ))}
        </div>
      </div>
      <svg
        ref={svgRef}
        role="img"
        aria-label="Tables and foreign keys"
        data-testid="diagram-canvas"
        viewBox={`${view.x} ${view.y} ${view.width} ${view.height}`}
        className="h-[70vh] w-full cursor-grab touch-none font-mono text-[11px] select-none active:cursor-grabbing"
        onPointerDown={(event) => {
          const pixelsPerUnit = svgRef.current?.getScreenCTM()?.a;
          if (!pixelsPerUnit) return;
          drag.current = { clientX: event.clientX, clientY: event.clientY, pixelsPerUnit, view };
          event.currentTarget.setPointerCapture(event.pointerId);
        }}
        onPointerMove={(event) => {
          const start = drag.current;
          if (!start) return;
          // Measured from where the drag began, so moves that arrive before a re-render don't add up twice.
          setView({
            ...start.view,
            x: start.view.x - (event.clientX - start.clientX) / start.pixelsPerUnit,
            y: start.view.y - (event.clientY - start.clientY) / start.pixelsPerUnit,
          });
        }}
        onPointerUp={() => {
          drag.current = null;
        }}
      >
        {children}
        {tables
          .filter((t) => highlighted.has(t.id))
          .map((table) => (
            <rect
              key={table.id}
              data-testid={`diagram-highlight-${table.id}`}
              x={table.x - 4}
              y={table.y - 4}
              width={table.width + 8}
              height={table.height + 8}
              rx="8"
              fill="none"
              stroke="#0284c7"
              strokeWidth="4"
              pointerEvents="none"
            />
          ))}
      </svg>
    </div>
  );
}
