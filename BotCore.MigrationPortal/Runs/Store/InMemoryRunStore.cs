using BotCore.MigrationPortal.Engine.Ports;


namespace BotCore.MigrationPortal.Runs.Store;

public sealed class InMemoryRunStore : IRunStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, MigrationRun> runs = new(StringComparer.Ordinal);

    public Task<MigrationRun?> TryInsertAsync(MigrationRun run, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (run.OpenOnTarget is not null && runs.Values.FirstOrDefault(r => r.OpenOnTarget == run.OpenOnTarget) is { } open) return Task.FromResult<MigrationRun?>(open);
            if (!runs.TryAdd(run.Id, run)) throw new InvalidOperationException($"Run {run.Id} exists already.");
        }
        return Task.FromResult<MigrationRun?>(null);
    }

    public Task<MigrationRun?> FindAsync(string id, CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(runs.GetValueOrDefault(id));
    }

    public Task<bool> TryReplaceAsync(MigrationRun run, long expectedRevision, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!runs.TryGetValue(run.Id, out var stored) || stored.Revision != expectedRevision) return Task.FromResult(false);
            runs[run.Id] = run;
            return Task.FromResult(true);
        }
    }

    public Task<RunPage> QueryAsync(RunQuery query, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var matching = runs.Values
                .Where(r => query.Target is null || r.Target == query.Target)
                .Where(r => query.State is null || r.State == query.State)
                .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
                .ToList();
            return Task.FromResult(new RunPage(matching.Skip(query.Page * query.PageSize).Take(query.PageSize).ToList(), matching.Count));
        }
    }

    public Task<IReadOnlyList<MigrationRun>> SucceededOnTierAsync(TargetTier tier, CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult<IReadOnlyList<MigrationRun>>(runs.Values.Where(r => r.Tier == tier && r.State == RunState.Succeeded).ToList());
    }

    public Task<MigrationRun?> LatestForTargetAsync(string target, CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult(runs.Values.Where(r => r.Target == target).MaxBy(r => (r.CreatedAt, r.Id)));
    }

    public Task<IReadOnlyList<MigrationRun>> OpenAsync(CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult<IReadOnlyList<MigrationRun>>(runs.Values.Where(r => r.OpenOnTarget is not null).ToList());
    }
}
