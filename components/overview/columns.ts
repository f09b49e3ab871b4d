// Fixed widths keep the columns of every project's table aligned with each other.
export const COLUMNS = [
  { label: 'Environment', width: 'w-[17%]', align: 'text-left' },
  { label: 'Reachability', width: 'w-[11%]', align: 'text-left' },
  { label: 'Server', width: 'w-[16%]', align: 'text-left' },
  { label: 'Latency', width: 'w-[8%]', align: 'text-left' },
  { label: 'Applied', width: 'w-[8%]', align: 'text-right' },
  { label: 'Pending', width: 'w-[8%]', align: 'text-right' },
  { label: 'Drift', width: 'w-[10%]', align: 'text-right' },
  { label: 'Last operation', width: 'w-[22%]', align: 'text-left' },
] as const;
