using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Runs;
using BotCore.MigrationPortal.Runs.Checklists;
using BotCore.MigrationPortal.Targets;
using BotCore.MigrationPortal.Text;

namespace BotCore.MigrationPortal.Adoption;

/// <summary>
/// The automated items of a baseline run, read from the database as it is now: it still fits the version to adopt, with exactly
/// the differences the requester accepted (a changed database voids the run's approval, as for any run), and which version
/// document is kept.
/// </summary>
public sealed class AdoptionPreChecks(MigrationRegistry registry, TargetRegistry targets)
{
    public async Task<IReadOnlyDictionary<string, (ItemStatus Status, string Evidence)>> EvaluateAsync(MigrationRun run, CancellationToken cancellationToken)
    {
        var request = run.Adoption ?? throw new InvalidOperationException($"Run {run.Id} is a baseline run without what it adopts.");
        BaselineComparison comparison;
        try
        {
            comparison = await BaselineComparison.ReadAsync(registry, targets.Get(run.Target), cancellationToken);
        }
        catch (MigrationEngineException e)
        {
            return new Dictionary<string, (ItemStatus, string)>
            {
                [ChecklistTemplate.BaselineComparison] = (ItemStatus.Failed, e.Message),
                [ChecklistTemplate.BaselineDocuments] = (ItemStatus.Failed, e.Message),
            };
        }
        return new Dictionary<string, (ItemStatus, string)>
        {
            [ChecklistTemplate.BaselineComparison] = Fits(request, comparison),
            [ChecklistTemplate.BaselineDocuments] = (ItemStatus.Passed, $"Found {Counted.Of(comparison.Snapshot.VersionDocuments.Count, "version document")}; adoption " +
                comparison.VersionDocumentsPlan(request.At) + "."),
        };
    }

    /// <summary>Whether the database may be adopted at the requested version with exactly the differences the requester accepted.</summary>
    public static (ItemStatus Status, string Evidence) Fits(AdoptionRequest request, BaselineComparison comparison)
    {
        var versions = string.Join("; ", comparison.Versions.Select(v => $"{v.Version}: {v.Fit.ToString().ToLowerInvariant()}"));
        if (BaselineWriter.Refusal(comparison, request.At, request.DifferencesAccepted) is { } refusal) return (ItemStatus.Failed, $"Not adoptable: {refusal} ({versions})");
        var match = comparison.For(request.At);
        if (match.Fingerprint != request.Fingerprint)
        {
            var now = match.Blocking.Count == 0 ? "none" : string.Join("; ", match.Blocking.Select(d => d.Difference.DescribeAsDrift()));
            return (ItemStatus.Failed, $"The database changed since the run was created: its blocking differences from {request.At} are now: {now}. " +
                "Create a new adoption run.");
        }
        return (ItemStatus.Passed, $"{match.Summary}" +
            (request.DifferencesAccepted ? $"; accepted in writing: {string.Join("; ", request.AcceptedDifferences)}" : "") + $" ({versions}).");
    }
}
