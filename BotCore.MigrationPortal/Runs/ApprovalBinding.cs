using BotCore.MigrationPortal.Runs.Checklists;

namespace BotCore.MigrationPortal.Runs;

/// <summary>
/// What an approval is given on: the target, the version range, each migration's checksum and the result of
/// each automated pre-check. Kept as readable "key = value" facts so that a voided approval can say what changed.
/// </summary>
public static class ApprovalBinding
{
    public static IReadOnlyList<string> FactsOf(MigrationRun run) =>
    [
        $"target = {run.Target}",
        $"versions = {run.From} → {run.To}",
        .. run.Checksums.Select(c => $"checksum {c.Version} = {c.Checksum}"),
        .. run.Fix is { } fix ? [$"fix {fix.Id} = {fix.Checksum}"] : Array.Empty<string>(),
        .. run.Checklist
            .Where(item => IsBound(ChecklistTemplate.Get(item.ItemId)))
            .Select(item => $"{ChecklistTemplate.Get(item.ItemId).Text} = {item.Status}"),
    ];

    /// <summary>What differs between the facts an approval was given on and the facts now; empty when it still holds.</summary>
    public static IReadOnlyList<string> Changes(IReadOnlyList<string> approved, IReadOnlyList<string> now)
    {
        var before = approved.Select(Split).ToDictionary(f => f.Key, f => f.Value);
        var after = now.Select(Split).ToDictionary(f => f.Key, f => f.Value);
        return before.Keys.Union(after.Keys)
            .Where(key => before.GetValueOrDefault(key) != after.GetValueOrDefault(key))
            .Select(key => $"{key}: was {before.GetValueOrDefault(key) ?? "absent"}, is now {after.GetValueOrDefault(key) ?? "absent"}")
            .ToList();
    }

    private static bool IsBound(ChecklistItemDefinition item) => item.Kind == ItemKind.Automated && item.Phase == ItemPhase.BeforeApproval;

    private static (string Key, string Value) Split(string fact)
    {
        var at = fact.LastIndexOf(" = ", StringComparison.Ordinal);
        return (fact[..at], fact[(at + 3)..]);
    }
}
