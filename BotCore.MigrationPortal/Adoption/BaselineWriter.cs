using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.History;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Engine.Ports;

namespace BotCore.MigrationPortal.Adoption;

/// <summary>
/// Adopts a database built outside the portal at a version a person confirmed: under the target's lease, keeps one version
/// document (set to that version, the others deleted) and writes one changelog entry per migration up to it, marked
/// baselined, with who, when, why and the differences accepted. Never touches data or indexes.
/// </summary>
public sealed class BaselineWriter(MigrationRegistry registry, TimeProvider time)
{
    /// <returns>The comparison it adopted on.</returns>
    /// <exception cref="MigrationEngineException">The database may not be adopted at that version (see <see cref="Refusal"/>).</exception>
    public async Task<BaselineComparison> AdoptAsync(IMigrationTarget target, SchemaVersion version, string reason, string adoptedBy, string runId,
        bool differencesAccepted, CancellationToken cancellationToken)
    {
        await using var lease = await target.AcquireLeaseAsync(new LeaseHolder(runId, adoptedBy), cancellationToken);
        var comparison = await BaselineComparison.ReadAsync(registry, target, cancellationToken);
        if (Refusal(comparison, version, differencesAccepted) is { } refusal) throw new MigrationEngineException($"Not adopted: {refusal}");
        var match = comparison.For(version);
        var now = time.GetUtcNow().UtcDateTime;
        var note = $"adopted at {version}: {reason}" + (match.Blocking.Count == 0 ? ""
            : $"; differences accepted: {string.Join("; ", match.Blocking.Select(d => d.Difference.DescribeAsDrift()))}");
        var entries = registry.Migrations.Where(m => m.Version <= version).Select(m => new ChangelogEntry
        {
            Version = m.Version.ToString(),
            Description = m.Description,
            Checksum = m.Checksum,
            Direction = "up",
            Status = ChangelogEntry.Baselined,
            RunId = runId,
            AppliedBy = adoptedBy,
            StartedAt = now,
            FinishedAt = now,
            Note = note,
        }).ToList();
        await target.AdoptAsync(version, comparison.DocumentToKeep(version)?.Id, entries, adoptedBy, cancellationToken);
        return comparison;
    }

    /// <summary>Why the database may not be adopted at <paramref name="version"/>, or null when it may.</summary>
    /// <param name="differencesAccepted">A person accepted, in writing, the blocking differences of a close match.</param>
    public static string? Refusal(BaselineComparison comparison, SchemaVersion version, bool differencesAccepted)
    {
        if (comparison.Snapshot.ChangelogEntries > 0)
        {
            return $"the database already has a migration changelog ({comparison.Snapshot.ChangelogEntries} entries): the portal adopted it or ran migrations on it. " +
                "Use status and drift instead.";
        }
        var match = comparison.Versions.FirstOrDefault(v => v.Version == version);
        if (match is null) return $"{version} is not a version of this build ({string.Join(", ", comparison.Versions.Select(v => v.Version))}).";
        return match.Fit switch
        {
            BaselineFit.Far => $"the database does not match {version}: {match.Summary}." +
                (comparison.Proposed is { } proposed ? $" It matches {proposed.Version} best." : " It matches no version well enough: repair it by hand first."),
            BaselineFit.Close when !differencesAccepted => $"the database is close to {version} but {match.Summary}. Repair them, or accept them in writing.",
            _ => null,
        };
    }
}
