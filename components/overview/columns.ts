// Fixed widths keep the columns of every project's table aligned with each other.
export const COLUMNS = [
  { label: 'Environment', width: 'w-[15%]', align: 'text-left' },
  { label: 'Reachability', width: 'w-[10%]', align: 'text-left' },
  { label: 'Server', width: 'w-[14%]', align: 'text-left' },
  { label: 'Latency', width: 'w-[7%]', align: 'text-left' },
  { label: 'Applied', width: 'w-[7%]', align: 'text-right' },
  { label: 'Pending', width: 'w-[7%]', align: 'text-right' },
  // Two findings, kept apart: the bookkeeping table against the files, the schema against the migrations.
  { label: 'Drift', width: 'w-[10%]', align: 'text-right' },
  { label: 'Schema drift', width: 'w-[10%]', align: 'text-right' },
  { label: 'Last operation', width: 'w-[20%]', align: 'text-left' },
] as const;
