import { MigrationStateBadge } from '@/components/migration-state-badge';
import { stateInEnvironment, type MigrationUnderReview } from '@/lib/server/migration-review';

/** The migration's state in the environment's database; rendered inside a Suspense boundary. */
export async function EnvironmentState({ review }: { review: MigrationUnderReview }) {
  const state = await stateInEnvironment(review);
  if (!state.reachable) {
    return (
      <span className="text-sm text-red-700" data-testid="environment-state">
        unknown: {review.environment.name} cannot be read ({state.error})
      </span>
    );
  }
  return <MigrationStateBadge state={state.state} testId="environment-state" />;
}

export function EnvironmentStateFallback() {
  return (
    <span role="status" className="inline-block h-5 w-16 animate-pulse rounded-full bg-slate-200">
      <span className="sr-only">Reading the state…</span>
    </span>
  );
}
