namespace BotCore.MigrationPortal.Engine.History;

public enum MigrationState
{
    /// <summary>In the database, from the source this build has.</summary>
    Applied,

    /// <summary>Not yet in the database.</summary>
    Pending,

    /// <summary>Not in the database; its last attempt failed.</summary>
    Failed,

    /// <summary>In the database, but its source changed after it was applied.</summary>
    Modified,

    /// <summary>Below the applied version, yet the changelog says it was taken out: a gap in history.</summary>
    Gap,
}

/// <summary>Where one migration of this build stands on one target.</summary>
public sealed record MigrationStatus(RegisteredMigration Migration, MigrationState State, ChangelogEntry? AppliedEntry, ChangelogEntry? LastEntry)
{
    public string Explanation => State switch
    {
        MigrationState.Applied when AppliedEntry is null => "applied before the portal kept a changelog (no checksum recorded)",
        MigrationState.Applied when AppliedEntry.Status == ChangelogEntry.Baselined => $"found in place when {AppliedEntry.AppliedBy} adopted the database, {AppliedEntry.FinishedAt:u}",
        MigrationState.Applied => $"applied {AppliedEntry.FinishedAt:u} by {AppliedEntry.AppliedBy}",
        MigrationState.Modified =>
            $"applied with checksum {Shorten(AppliedEntry!.Checksum)}, but this build's source has {Migration.ShortChecksum}: the file was edited after it was applied",
        MigrationState.Failed => $"last attempt failed {LastEntry!.FinishedAt:u}: {LastEntry.Error}",
        MigrationState.Gap => $"below the applied version, yet the changelog says it was taken out ({LastEntry!.Status}, {LastEntry.FinishedAt:u})",
        _ when LastEntry is { LeftUndone: true } undone => $"pending: taken out {undone.FinishedAt:u} by {undone.AppliedBy}",
        _ => "pending",
    };

    /// <summary>Whether the migration's changes are in the database now.</summary>
    public bool IsInDatabase => State is MigrationState.Applied or MigrationState.Modified;

    // A changelog repaired by hand may hold a short or empty checksum; it is still shown, never a crash.
    private static string Shorten(string checksum) => checksum.Length > 12 ? checksum[..12] : checksum;

    public static IReadOnlyList<MigrationStatus> For(MigrationRegistry registry, TargetHistory history) =>
        registry.Migrations.Select(migration => Of(migration, history)).ToList();

    private static MigrationStatus Of(RegisteredMigration migration, TargetHistory history)
    {
        var entries = history.EntriesFor(migration.Version).ToList();
        var last = entries.LastOrDefault();
        var appliedEntry = entries.LastOrDefault(e => e.LeftApplied);
        MigrationState state;
        if (migration.Version <= history.Applied)
        {
            state = last is not null && last.LeftUndone ? MigrationState.Gap
                : appliedEntry is not null && appliedEntry.Checksum != migration.Checksum ? MigrationState.Modified
                : MigrationState.Applied;
        }
        else
        {
            state = last?.Status == ChangelogEntry.Failed ? MigrationState.Failed : MigrationState.Pending;
        }
        return new MigrationStatus(migration, state, appliedEntry, last);
    }
}
